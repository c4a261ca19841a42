#pragma once

#include <filesystem>

namespace requip::cli {

// $XDG_DATA_HOME/requip, falling back to ~/.local/share/requip. Not created here.
std::filesystem::path data_home();

// A file vendored under data/: from $REQUIP_DATA_DIR, else the installed share/requip next to
// the binary, else the source tree this binary was built from. Empty if none has it.
std::filesystem::path vendored_data(const std::filesystem::path& name);

}  // namespace requip::cli
