//! The threat register (`threats/index.html`): a likelihood × impact risk matrix drawn as SVG
//! (each cell counts its threats and its unmitigated ones, which are outlined), then the register
//! itself, unmitigated threats highlighted. A threat without a likelihood or an impact is listed
//! in the register and counted under the matrix, not placed in it.

use std::fmt::Write as _;

use super::page::{Section, attr, h, page, table_head};
use super::site::Site;
use crate::OutputFile;
use crate::threats::{Entry, rating};

pub const PATH: &str = "threats/index.html";

const LEVELS: [&str; 4] = ["low", "medium", "high", "critical"];
const CELL_W: usize = 120;
const CELL_H: usize = 64;
const LEFT: usize = 90;
const TOP: usize = 10;

fn level(score: usize) -> &'static str {
    match score {
        0..=2 => "risk-low",
        3..=4 => "risk-medium",
        5..=8 => "risk-high",
        _ => "risk-critical",
    }
}

/// The threats in the cell (likelihood `l`, impact `i`, each 1 to 4).
fn cell<'a>(entries: &'a [Entry<'a>], l: u8, i: u8) -> Vec<&'a Entry<'a>> {
    entries
        .iter()
        .filter(|e| {
            e.threat.likelihood.as_deref().and_then(rating) == Some(l)
                && e.threat.impact.as_deref().and_then(rating) == Some(i)
        })
        .collect()
}

/// The risk matrix as an SVG image with a text alternative.
pub fn matrix(entries: &[Entry<'_>]) -> String {
    let width = LEFT + 4 * CELL_W + 10;
    let height = TOP + 4 * CELL_H + 60;
    let mut desc = Vec::new();
    let mut cells = String::new();
    for (iy, impact) in (1..=4u8).rev().enumerate() {
        for (ix, likelihood) in (1..=4u8).enumerate() {
            let here = cell(entries, likelihood, impact);
            let unmitigated = here.iter().filter(|e| e.is_unmitigated()).count();
            let x = LEFT + ix * CELL_W;
            let y = TOP + iy * CELL_H;
            let score = usize::from(likelihood) * usize::from(impact);
            let outline = if unmitigated > 0 { " unmitigated" } else { "" };
            let l_name = LEVELS.get(ix).copied().unwrap_or_default();
            let i_name = LEVELS
                .get(usize::from(impact) - 1)
                .copied()
                .unwrap_or_default();
            let _ = write!(
                cells,
                "<g class=\"cell\" data-likelihood=\"{l_name}\" data-impact=\"{i_name}\" \
                 data-count=\"{}\" data-unmitigated=\"{unmitigated}\"><rect class=\"{}{outline}\" \
                 x=\"{x}\" y=\"{y}\" width=\"{CELL_W}\" height=\"{CELL_H}\"/>",
                here.len(),
                level(score)
            );
            if !here.is_empty() {
                let _ = write!(
                    cells,
                    "<text x=\"{}\" y=\"{}\" class=\"n\">{}</text>",
                    x + CELL_W / 2,
                    y + CELL_H / 2 + 4,
                    here.len()
                );
                desc.push(format!(
                    "likelihood {l_name}, impact {i_name}: {} threat{}{}",
                    here.len(),
                    if here.len() == 1 { "" } else { "s" },
                    if unmitigated > 0 {
                        format!(", {unmitigated} unmitigated")
                    } else {
                        String::new()
                    }
                ));
            }
            if unmitigated > 0 {
                let _ = write!(
                    cells,
                    "<text x=\"{}\" y=\"{}\" class=\"u\">{unmitigated} unmitigated</text>",
                    x + CELL_W / 2,
                    y + CELL_H / 2 + 20
                );
            }
            cells.push_str("</g>");
        }
    }
    let mut out = format!(
        "<svg class=\"risk-matrix\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} \
         {height}\" role=\"img\" aria-labelledby=\"matrix-title matrix-desc\">\n\
         <title id=\"matrix-title\">Risk matrix: likelihood against impact</title>\n\
         <desc id=\"matrix-desc\">{}</desc>\n{cells}\n",
        h(&if desc.is_empty() {
            "No threat has both a likelihood and an impact.".to_string()
        } else {
            format!("{}.", desc.join("; "))
        })
    );
    for (i, name) in LEVELS.iter().enumerate() {
        let _ = write!(
            out,
            "<text class=\"axis\" x=\"{}\" y=\"{}\">{name}</text><text class=\"axis\" x=\"{}\" \
             y=\"{}\" text-anchor=\"end\">{name}</text>",
            LEFT + i * CELL_W + CELL_W / 2,
            TOP + 4 * CELL_H + 20,
            LEFT - 8,
            TOP + (3 - i) * CELL_H + CELL_H / 2 + 4,
        );
    }
    let _ = write!(
        out,
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\">likelihood →</text>\
         <text class=\"axis-title\" x=\"4\" y=\"{}\" text-anchor=\"start\">impact ↑</text>\n</svg>",
        LEFT + 2 * CELL_W,
        TOP + 4 * CELL_H + 48,
        TOP + 4 * CELL_H + 48,
    );
    out
}

pub fn render(site: &Site<'_>) -> OutputFile {
    let entries = &site.threats;
    let unmitigated = entries.iter().filter(|e| e.is_unmitigated()).count();
    let unscored = entries.iter().filter(|e| e.risk.is_none()).count();
    let mut b = String::from("<h1>Threats</h1>\n");
    let _ = writeln!(
        b,
        "<p class=\"lede\"><strong data-count=\"threats\">{}</strong> threats, <strong \
         data-count=\"unmitigated\">{unmitigated}</strong> without a mitigating control. Risk = \
         likelihood × impact, each rated low = 1, medium = 2, high = 3, critical = 4.</p>",
        entries.len()
    );
    b.push_str(
        "<section aria-labelledby=\"matrix\">\n<h2 id=\"matrix\">Risk matrix</h2>\n<figure>\n",
    );
    b.push_str(&matrix(entries));
    let _ = writeln!(
        b,
        "\n<figcaption>Cells outlined in red hold threats no control mitigates.{}</figcaption>\n\
         </figure>\n</section>",
        if unscored > 0 {
            format!(" {unscored} threat(s) without a likelihood or an impact are not placed.")
        } else {
            String::new()
        }
    );
    b.push_str("<section aria-labelledby=\"register\">\n<h2 id=\"register\">Register</h2>\n");
    table_head(
        &mut b,
        "register",
        "Sorted by subsystem, then risk (highest first), then id",
        &[
            "Threat",
            "Subsystem",
            "Category",
            "Likelihood",
            "Impact",
            "Risk",
            "Mitigated by",
            "Requirements covered",
        ],
    );
    for e in entries {
        let controls = if e.is_unmitigated() {
            "<strong class=\"warn\">none</strong>".to_string()
        } else {
            e.controls
                .iter()
                .map(|c| {
                    Site::name_link_as(&site.control_pages, &c.name.to_string(), &c.name.name, PATH)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let reqs: Vec<String> = e
            .requirements
            .iter()
            .map(|(f, r)| format!("{f} {r}"))
            .collect();
        let _ = writeln!(
            b,
            "<tr id=\"threat-{}\" class=\"{}\" data-threat=\"{}\"><th scope=\"row\"><code>{}</code> {}\
             </th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{controls}\
             </td><td>{}</td></tr>",
            attr(&e.threat.name.to_string()),
            if e.is_unmitigated() {
                "unmitigated"
            } else {
                "mitigated"
            },
            attr(e.id()),
            h(e.id()),
            h(&e.threat.title),
            h(e.subsystem),
            h(e.threat.category.as_deref().unwrap_or("-")),
            h(e.threat.likelihood.as_deref().unwrap_or("-")),
            h(e.threat.impact.as_deref().unwrap_or("-")),
            e.risk.map_or_else(|| "-".to_string(), |r| r.to_string()),
            h(&reqs.join(", ")),
        );
    }
    b.push_str("</tbody>\n</table>\n</section>\n");
    page(site, PATH, Section::Threats, "Threats", &b, &[])
}
