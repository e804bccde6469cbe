#!/usr/bin/env python3
"""Writes a structured 2D separator as a Gmsh 2.2 ASCII mesh with physical tags.

Faces on y = 0 carry tag 1 (plating electrode), on y = L tag 2 (counter
electrode), lateral faces tag 3; cells carry tag 10 unless a --region gives
them another one (later regions win). Coordinates in metres.

    make_separator_mesh.py WIDTH THICKNESS NX NY [--region I0 I1 J0 J1 TAG]... > separator.msh

A region is the cells with column I0 <= i < I1 and row J0 <= j < J1; with
Material/Type = mesh tags the tags name phases (10 grain, 11 grain boundary,
12 weak boundary, 13 pore by default).
"""
import argparse


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("width", type=float)
    parser.add_argument("thickness", type=float)
    parser.add_argument("nx", type=int)
    parser.add_argument("ny", type=int)
    parser.add_argument("--region", nargs=5, type=int, action="append", default=[],
                        metavar=("I0", "I1", "J0", "J1", "TAG"))
    args = parser.parse_args()
    width, thickness, nx, ny = args.width, args.thickness, args.nx, args.ny

    cell_tag = [[10] * nx for _ in range(ny)]
    for i0, i1, j0, j1, tag in args.region:
        if not (0 <= i0 < i1 <= nx and 0 <= j0 < j1 <= ny and tag > 0):
            parser.error("region %d %d %d %d %d is not inside the %d x %d cells"
                         % (i0, i1, j0, j1, tag, nx, ny))
        for j in range(j0, j1):
            for i in range(i0, i1):
                cell_tag[j][i] = tag

    node = lambda i, j: j * (nx + 1) + i + 1
    print("$MeshFormat\n2.2 0 8\n$EndMeshFormat")
    print("$Nodes\n%d" % ((nx + 1) * (ny + 1)))
    for j in range(ny + 1):
        for i in range(nx + 1):
            print("%d %.17g %.17g 0" % (node(i, j), width * i / nx, thickness * j / ny))
    print("$EndNodes")
    elements = []
    for i in range(nx):
        elements.append((1, 1, node(i, 0), node(i + 1, 0)))
        elements.append((1, 2, node(i + 1, ny), node(i, ny)))
    for j in range(ny):
        elements.append((1, 3, node(nx, j), node(nx, j + 1)))
        elements.append((1, 3, node(0, j + 1), node(0, j)))
    for j in range(ny):
        for i in range(nx):
            elements.append((3, cell_tag[j][i], node(i, j), node(i + 1, j), node(i + 1, j + 1),
                             node(i, j + 1)))
    print("$Elements\n%d" % len(elements))
    for k, (kind, tag, *nodes) in enumerate(elements, start=1):
        print(k, kind, 2, tag, tag, *nodes)
    print("$EndElements")


if __name__ == "__main__":
    main()
