#pragma once

#include <filesystem>

namespace requip::cli {

// $XDG_DATA_HOME/requip, falling back to ~/.local/share/requip. Not created here.
std::filesystem::path data_home();

}  // namespace requip::cli
