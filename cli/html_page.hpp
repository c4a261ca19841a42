#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace requip::cli {

// What the `--report` pages of requip and requip-moe share: self-contained HTML with inline SVG,
// so that a report opens anywhere without fetching anything.

// The text with the characters HTML reads as markup escaped.
std::string escape_html(std::string_view text);
// The page's head (title and house style) and its <h1>; the caller appends the body and
// html_page_end().
std::string html_page_start(std::string_view title);
std::string html_page_end();
// The opening tag of an inline SVG figure of this size in pixels.
std::string svg_start(double width, double height, int font_size);
// Writes the page; throws std::runtime_error naming the file and the fix when it cannot.
void write_html_page(const std::filesystem::path& file, const std::string& html);

}  // namespace requip::cli
