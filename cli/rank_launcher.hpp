#pragma once

namespace requip::cli {

// `requip train --nproc N`: runs this same command line N times on this machine, without
// --nproc, as ranks 0..N-1 of one distributed run meeting on a free port of 127.0.0.1. Each
// rank's output lines come through prefixed with "[rank R] ". If a rank fails, the others are
// stopped and the launch fails. Returns the exit code for the whole run.
int launch_local_ranks(int ranks);

}  // namespace requip::cli
