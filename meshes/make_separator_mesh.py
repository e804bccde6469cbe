#!/usr/bin/env python3
"""Writes a structured 2D separator as a Gmsh 2.2 ASCII mesh with physical tags.

Faces on y = 0 carry tag 1 (plating electrode), on y = L tag 2 (counter
electrode), lateral faces tag 3; cells carry tag 10. Coordinates in metres.

    make_separator_mesh.py WIDTH THICKNESS NX NY > separator.msh
"""
import sys


def main():
    width, thickness = float(sys.argv[1]), float(sys.argv[2])
    nx, ny = int(sys.argv[3]), int(sys.argv[4])
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
            elements.append((3, 10, node(i, j), node(i + 1, j), node(i + 1, j + 1), node(i, j + 1)))
    print("$Elements\n%d" % len(elements))
    for k, (kind, tag, *nodes) in enumerate(elements, start=1):
        print(k, kind, 2, tag, tag, *nodes)
    print("$EndElements")


if __name__ == "__main__":
    main()
