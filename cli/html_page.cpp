#include "html_page.hpp"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

namespace requip::cli {

std::string escape_html(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_page_start(std::string_view title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{0}</title>\n"
      "<style>body{{font-family:sans-serif;margin:2em}} td,th{{padding:2px 10px;"
      "text-align:right}}</style></head><body>\n<h1>{0}</h1>\n",
      escape_html(title));
}

std::string html_page_end() {
  return "</body></html>\n";
}

std::string svg_start(double width, double height, int font_size) {
  return fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-size='{}'>\n", width,
      height, font_size);
}

void write_html_page(const std::filesystem::path& file, const std::string& html) {
  std::ofstream out(file, std::ios::binary);
  out << html;
  if (!out) {
    throw std::runtime_error(
        fmt::format("cannot write the report {}; pick a writable --report path", file.string()));
  }
}

}  // namespace requip::cli
