#include "harness/report/html_charts.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "harness/report/xml_text.h"

namespace rh {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Colour by where the time was spent: firmware, ROM, network, OS.
const char* phase_colour(const std::string& name) {
  if (name.starts_with("firmware") || name == "vm-start") return "#8c8c8c";
  if (name.starts_with("rom") || name.starts_with("ipxe")) return "#4e79a7";
  if (name.starts_with("first-guestinfo")) return "#b07aa1";
  if (name.starts_with("network") || name.starts_with("first-http") || name.starts_with("download"))
    return "#f28e2b";
  return "#59a14f";
}

}  // namespace

std::string waterfall_svg(const std::vector<Phase>& phases, double axis_ms) {
  const double label_w = 230, chart_w = 560, row_h = 18;
  double scale = chart_w / std::max(axis_ms, 1.0);
  std::ostringstream s;
  double height = row_h * static_cast<double>(phases.size()) + 22;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(label_w + chart_w + 90)
    << "\" height=\"" << num(height) << "\" role=\"img\">";
  double previous = 0;
  for (size_t i = 0; i < phases.size(); ++i) {
    const Phase& p = phases[i];
    double y = row_h * static_cast<double>(i);
    double x0 = label_w + previous * scale;
    double w = std::max((p.at_ms - previous) * scale, 1.5);
    s << "<text x=\"0\" y=\"" << num(y + 13) << "\" class=\"phase-label\">" << xml_escape(p.name)
      << "</text>";
    s << "<rect class=\"phase-bar\" data-phase=\"" << xml_escape(p.name) << "\" data-at-ms=\""
      << num(p.at_ms) << "\" x=\"" << num(x0) << "\" y=\"" << num(y + 3) << "\" width=\"" << num(w)
      << "\" height=\"" << num(row_h - 6) << "\" fill=\"" << phase_colour(p.name) << "\"><title>"
      << xml_escape(p.name) << " at " << num(p.at_ms) << " ms (" << xml_escape(p.source)
      << ")</title></rect>";
    s << "<text x=\"" << num(x0 + w + 4) << "\" y=\"" << num(y + 13) << "\" class=\"phase-time\">"
      << num(p.at_ms) << " ms</text>";
    previous = std::max(previous, p.at_ms);
  }
  double axis_y = height - 6;
  s << "<line x1=\"" << num(label_w) << "\" y1=\"" << num(axis_y - 10) << "\" x2=\""
    << num(label_w + chart_w) << "\" y2=\"" << num(axis_y - 10) << "\" stroke=\"#999\"/>";
  s << "<text x=\"" << num(label_w) << "\" y=\"" << num(axis_y) << "\" class=\"axis\">0</text>";
  s << "<text x=\"" << num(label_w + chart_w - 40) << "\" y=\"" << num(axis_y)
    << "\" class=\"axis\">" << num(axis_ms / 1000.0) << " s</text>";
  s << "</svg>";
  return s.str();
}

std::string rom_sizes_svg(const std::vector<RomBar>& bars) {
  const double label_w = 330, chart_w = 420, row_h = 24;
  double top = 1;
  for (const auto& b : bars) {
    top = std::max(top, static_cast<double>(b.size));
    if (b.budget) top = std::max(top, static_cast<double>(*b.budget));
  }
  double scale = chart_w / top;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(label_w + chart_w + 120)
    << "\" height=\"" << num(row_h * static_cast<double>(bars.size()) + 4) << "\" role=\"img\">";
  for (size_t i = 0; i < bars.size(); ++i) {
    const RomBar& b = bars[i];
    double y = row_h * static_cast<double>(i);
    bool over = b.budget && b.size > *b.budget;
    s << "<text x=\"0\" y=\"" << num(y + 16) << "\">" << xml_escape(b.key) << "</text>";
    s << "<rect class=\"rom-bar" << (over ? " over-budget" : "") << "\" data-rom=\""
      << xml_escape(b.key) << "\" data-bytes=\"" << b.size << "\" x=\"" << num(label_w) << "\" y=\""
      << num(y + 4) << "\" width=\"" << num(static_cast<double>(b.size) * scale) << "\" height=\""
      << num(row_h - 8) << "\" fill=\"" << (over ? "#e15759" : "#4e79a7") << "\"><title>" << b.size
      << " bytes</title></rect>";
    if (b.budget) {
      double x = label_w + static_cast<double>(*b.budget) * scale;
      s << "<line class=\"rom-budget\" data-bytes=\"" << *b.budget << "\" x1=\"" << num(x)
        << "\" y1=\"" << num(y + 1) << "\" x2=\"" << num(x) << "\" y2=\"" << num(y + row_h - 1)
        << "\" stroke=\"#222\" stroke-width=\"2\"><title>budget " << *b.budget
        << " bytes</title></line>";
    }
    s << "<text x=\"" << num(label_w + chart_w + 6) << "\" y=\"" << num(y + 16) << "\">" << b.size
      << (b.budget ? " / " + std::to_string(*b.budget) : "") << "</text>";
  }
  s << "</svg>";
  return s.str();
}

std::string sparkline_svg(const std::vector<TrendPoint>& points, const std::string& metric) {
  const double w = 160, h = 32, pad = 3;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sparkline\" data-metric=\""
    << xml_escape(metric) << "\" data-points=\"" << points.size() << "\" width=\"" << num(w)
    << "\" height=\"" << num(h) << "\">";
  if (!points.empty()) {
    auto [lo, hi] = std::minmax_element(points.begin(), points.end(),
                                        [](auto& a, auto& b) { return a.value < b.value; });
    double range = std::max(hi->value - lo->value, 1e-9);
    double step = points.size() > 1 ? (w - 2 * pad) / static_cast<double>(points.size() - 1) : 0;
    std::string path;
    double x = pad, y = h / 2;
    for (size_t i = 0; i < points.size(); ++i) {
      x = pad + step * static_cast<double>(i);
      y = h - pad - (points[i].value - lo->value) / range * (h - 2 * pad);
      if (hi->value == lo->value) y = h / 2;
      path += (i ? " L" : "M") + num(x) + " " + num(y);
    }
    s << "<path d=\"" << path << "\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"1.5\"/>";
    s << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y)
      << "\" r=\"2.5\" fill=\"#e15759\"><title>" << xml_escape(points.back().run_id) << ": "
      << num(points.back().value) << "</title></circle>";
  }
  s << "</svg>";
  return s.str();
}

}  // namespace rh
