#pragma once

#include <filesystem>
#include <string_view>

namespace requip::cli {

// $XDG_DATA_HOME/requip, falling back to ~/.local/share/requip. Not created here.
std::filesystem::path data_home();

// A file vendored under data/: from $REQUIP_DATA_DIR, else the installed share/requip next to
// the binary, else the source tree this binary was built from. Empty if none has it.
std::filesystem::path vendored_data(const std::filesystem::path& name);
// vendored_data, or a std::runtime_error naming the file and `fix` when none has it.
std::filesystem::path required_vendored_data(const std::filesystem::path& name,
                                             std::string_view fix);

}  // namespace requip::cli
