#!/usr/bin/env bash
# The crack picture is for people: with lithium it has a title with the time,
# a scale bar, the legend of the phases, colour bars of damage and lithium and
# the electrodes named; the PNG is the annotated picture (wider than the raster),
# and in the raster the lithium-filled channel of the default case is crimson;
# with a Picture region the raster shows that region only.
set -u
weaklink=$1
base=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
cat > case.prm <<PRM
include $base
subsection Output
  set Directory             = out
  set Field output interval = 1
end
subsection Time stepping
  set Maximum number of steps = 1
end
subsection Fracture
  set Picture pixels = 120
end
PRM
"$weaklink" case.prm > run.txt 2>&1 || { echo "FAIL: the run failed"; cat run.txt; exit 1; }
svg=out/solution_00001_damage.svg
png=out/solution_00001_damage.png
[ -f "$svg" ] && [ -f "$png" ] || { echo "FAIL: no $svg and $png"; ls out; exit 1; }
for text in "Damage and lithium metal at t = 1 s" " µm</text>" ">grain<" ">grain boundary<" \
            ">weak boundary<" ">pore (empty)<" ">damage d<" ">lithium metal (filling)<" \
            "counter electrode" "lithium electrode" "data:image/png;base64,"; do
  grep -qF -- "$text" "$svg" || { echo "FAIL: '$text' is not in the picture"; fail=1; }
done
grep -q "rendered\|could not render" run.txt && { echo "FAIL: $(grep render run.txt)"; fail=1; }
[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  { echo "FAIL: $png is not a PNG"; fail=1; }
width=$((16#$(od -An -tx1 -j16 -N4 "$png" | tr -d ' \n')))
[ "$width" -gt 120 ] || { echo "FAIL: the PNG is $width pixels wide: the raster without its legend"; fail=1; }
# The rasters, decoded from the SVGs. The whole mesh: its middle column (the
# channel at x = 10 µm) near the bottom is crimson (200, 20, 60: lithium metal
# θ ≈ 1 over a black pore), a pixel near the left edge grain grey (225, 225, 225).
# A region of the mesh, 4 × 4 µm around the bottom of the channel at 120 pixels:
# a square raster whose middle is the lithium metal.
cat > region.prm <<PRM
include case.prm
subsection Output
  set Directory = region
end
subsection Fracture
  set Picture region = 8e-6, 0, 12e-6, 4e-6
end
PRM
"$weaklink" region.prm > region.txt 2>&1 || { echo "FAIL: the run with a region failed"; cat region.txt; exit 1; }
grep -qF "at t = 1 s, x 8–12 µm, y 0–4 µm</text>" region/solution_00001_damage.svg ||
  { echo "FAIL: the title does not say which region"; fail=1; }
grep -q "top: counter electrode" region/solution_00001_damage.svg &&
  { echo "FAIL: the region names the counter electrode, which it does not reach"; fail=1; }
for picture in "$svg" region/solution_00001_damage.svg; do
  grep -o "data:image/png;base64,[^']*" "$picture" | head -1 | sed 's/^data:image\/png;base64,//' |
    base64 -d > "$(basename "$picture" .svg)_$(dirname "$picture").png" ||
    { echo "FAIL: the raster of $picture does not decode"; fail=1; }
done
/usr/bin/python3 - solution_00001_damage_out.png solution_00001_damage_region.png <<'PY' || fail=1
import sys, zlib, struct
def raster(name):
    data = open(name, 'rb').read()
    width, height = struct.unpack('>II', data[16:24])
    pos, idat = 8, b''
    while pos < len(data):
        length = struct.unpack('>I', data[pos:pos + 4])[0]
        if data[pos + 4:pos + 8] == b'IDAT':
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    def pixel(column, row):
        start = row * (3 * width + 1) + 1 + 3 * column
        return tuple(raw[start:start + 3])
    return width, height, pixel
near = lambda have, want: all(abs(a - b) <= 6 for a, b in zip(have, want))
crimson, grey = (200, 20, 60), (225, 225, 225)
failed = False
width, height, pixel = raster(sys.argv[1])
channel, grain = pixel(width // 2, height - 5), pixel(3, height - 5)
if not near(channel, crimson) or grain != grey:
    print('FAIL: channel pixel %s (want %s), grain pixel %s (want %s)' % (channel, crimson, grain, grey))
    failed = True
width, height, pixel = raster(sys.argv[2])
middle = pixel(width // 2, height // 2)
if (width, height) != (120, 120) or not near(middle, crimson):
    print('FAIL: the region is %d x %d pixels (want 120 x 120), its middle %s (want %s)'
          % (width, height, middle, crimson))
    failed = True
sys.exit(failed)
PY
# A region that is not a box is a one-line error.
printf 'include case.prm\nsubsection Fracture\n  set Picture region = 1e-5, 0, 0\nend\n' > bad.prm
"$weaklink" bad.prm --validate > bad.txt 2>&1
status=$?
[ $status -eq 2 ] && grep -q "Fracture/Picture region = '1e-5, 0, 0': give x0, y0, x1, y1" bad.txt ||
  { echo "FAIL: a bad region gave exit $status: $(cat bad.txt)"; fail=1; }
exit $fail
