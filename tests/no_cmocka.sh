#!/bin/sh
# Configure found no cmocka: the unit tests cannot build, so make check fails.
echo "not ok - cmocka is missing (apt-get install libcmocka-dev; ./run.sh does)"
echo "0 passed, 1 failed"
exit 1
