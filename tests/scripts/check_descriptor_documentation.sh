#!/usr/bin/env bash
# doc/descriptors.md holds exactly the tables weaklink-descriptors --list prints.
set -eu
descriptors=$1; doc=$2
for dim in 2 3; do
  "$descriptors" --list $dim > /tmp/descriptor_list_$$_$dim
  if ! grep -qFf /tmp/descriptor_list_$$_$dim "$doc" || [ "$(grep -cFxf /tmp/descriptor_list_$$_$dim "$doc")" -lt "$(wc -l < /tmp/descriptor_list_$$_$dim)" ]; then
    echo "doc/descriptors.md is out of date for ${dim}D: regenerate its tables with weaklink-descriptors --list $dim"
    rm -f /tmp/descriptor_list_$$_*
    exit 1
  fi
done
rm -f /tmp/descriptor_list_$$_*
