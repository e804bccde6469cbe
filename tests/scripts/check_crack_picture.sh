#!/usr/bin/env bash
# The crack picture is for people: with lithium it has a title with the time,
# a scale bar, the legend of the phases, colour bars of damage and lithium and
# the electrodes named; the PNG is the annotated picture (wider than the raster),
# and in the raster the lithium-filled channel of the default case is crimson.
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
# The raster, decoded from the SVG: its middle column (the channel at x = 10 µm)
# near the bottom is crimson (200, 20, 60: lithium metal θ ≈ 1 over a black pore),
# a pixel near the left edge is grain grey (225, 225, 225).
grep -o "data:image/png;base64,[^']*" "$svg" | head -1 | sed 's/^data:image\/png;base64,//' |
  base64 -d > raster.png || { echo "FAIL: the raster does not decode"; fail=1; }
/usr/bin/python3 - raster.png <<'PY' || fail=1
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
width, height = struct.unpack('>II', data[16:24])
pos, idat = 8, b''
while pos < len(data):
    length = struct.unpack('>I', data[pos:pos + 4])[0]
    kind = data[pos + 4:pos + 8]
    if kind == b'IDAT':
        idat += data[pos + 8:pos + 8 + length]
    pos += 12 + length
raw = zlib.decompress(idat)
def pixel(column, row):
    start = row * (3 * width + 1) + 1 + 3 * column
    return tuple(raw[start:start + 3])
channel, grain = pixel(width // 2, height - 5), pixel(3, height - 5)
near = lambda have, want: all(abs(a - b) <= 6 for a, b in zip(have, want))
if not near(channel, (200, 20, 60)) or grain != (225, 225, 225):
    print('FAIL: channel pixel %s (want 200, 20, 60), grain pixel %s (want 225, 225, 225)'
          % (channel, grain))
    sys.exit(1)
PY
exit $fail
