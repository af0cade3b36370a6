//! Text in the diagram: escaping for XML, and how wide a line will be.
//!
//! The server cannot measure text (it has no fonts, and the reader's browser picks its own
//! sans-serif), so widths are estimated from a table of advances that errs wide: it follows
//! DejaVu Sans, the widest of the common sans-serif faces (Debian's default), so a label
//! that fits here fits in Arial, Helvetica, Roboto or Segoe UI too.

use std::fmt::Write;

/// `text` with `&`, `<`, `>`, `"` and `'` as entities and the characters XML 1.0 forbids
/// (control characters but tab, line feed and carriage return; U+FFFE and U+FFFF) left out,
/// so that a name a curator wrote can be neither markup nor a malformed document.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to at most `most` characters, with an ellipsis when cut.
pub(super) fn at_most(text: &str, most: usize) -> String {
    match text.char_indices().nth(most) {
        None => text.to_owned(),
        Some((end, _)) => {
            let mut cut = text[..end].trim_end().to_owned();
            cut.push('…');
            cut
        }
    }
}

/// DejaVu Sans's advances of the ASCII letters, in thousandths of an em: `a` to `z`, then
/// `A` to `Z`.
const LOWER: [u16; 26] = [
    613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
    392, 634, 592, 818, 592, 592, 525,
];
const UPPER: [u16; 26] = [
    684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635,
    611, 732, 684, 989, 685, 611, 685,
];

/// The advance of one character, in ems: DejaVu Sans's for ASCII (the widest of the common
/// faces, and Debian's default), generous guesses for the rest.
fn advance(c: char) -> f64 {
    let thousandths = match c {
        'a'..='z' => LOWER[c as usize - 'a' as usize],
        'A'..='Z' => UPPER[c as usize - 'A' as usize],
        '0'..='9' => 636,
        ' ' => 318,
        '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 340,
        '(' | ')' | '[' | ']' | '/' | '\\' | '-' => 400,
        c if c.is_ascii() => 840,
        // Latin with accents, Greek, Cyrillic.
        c if (c as u32) < 0x0530 => 780,
        // Ideographs, emoji and the rest: as wide as the font is tall.
        _ => 1050,
    };
    f64::from(thousandths) / 1000.0 * 1.03
}

/// How wide `text` is at `size` px, bold or not.
pub(super) fn width(text: &str, size: f64, bold: bool) -> f64 {
    let ems: f64 = text.chars().map(advance).sum();
    ems * size * if bold { 1.12 } else { 1.0 }
}

/// `text` broken into at most `most_lines` lines of at most `room` px, at spaces (a word
/// longer than a line is broken where it must). When it does not fit, the last line ends in
/// an ellipsis and the second value is true: the caller then gives the whole text in a
/// `<title>`.
pub(super) fn wrap(
    text: &str,
    size: f64,
    bold: bool,
    room: f64,
    most_lines: usize,
) -> (Vec<String>, bool) {
    let fits = |line: &str| width(line, size, bold) <= room;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    'words: for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            if lines.len() == most_lines {
                cut = true;
                break;
            }
            if fits(word) {
                line = word.to_owned();
                continue;
            }
        }
        // A word wider than a line: as many characters as fit, the rest on the next lines.
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                if lines.len() == most_lines {
                    cut = true;
                    break 'words;
                }
                line.push(c);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if cut && let Some(last) = lines.last_mut() {
        last.push('…');
        while !fits(last) && last.chars().count() > 1 {
            let mut chars: Vec<char> = last.chars().collect();
            chars.pop();
            chars.pop();
            let mut shorter: String = chars.into_iter().collect();
            let trimmed = shorter.trim_end().len();
            shorter.truncate(trimmed);
            shorter.push('…');
            *last = shorter;
        }
    }
    (lines, cut)
}

/// A number as SVG takes it: at most one decimal, no trailing `.0`.
pub(super) fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    // Adding zero turns -0 into 0.
    let mut out = String::new();
    let _ = write!(out, "{}", rounded + 0.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_text() {
        assert_eq!(
            escape("<script>alert('x & y')</script>\u{0}\"\u{FFFF}"),
            "&lt;script&gt;alert(&#39;x &amp; y&#39;)&lt;/script&gt;&quot;"
        );
    }

    #[test]
    fn long_names_wrap_and_then_are_cut() {
        let (lines, cut) = wrap("Authentication and Authorization", 14.0, false, 200.0, 2);
        assert_eq!(lines, ["Authentication and", "Authorization"]);
        assert!(!cut);
        let long = "word ".repeat(60);
        let (lines, cut) = wrap(&long, 14.0, false, 200.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(cut && lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|line| width(line, 14.0, false) <= 200.0));
        let (lines, cut) = wrap(&"x".repeat(200), 14.0, true, 100.0, 2);
        assert!(cut && lines.len() == 2, "{lines:?}");
        assert!(lines.iter().all(|line| width(line, 14.0, true) <= 100.0));
        assert_eq!(
            wrap("", 14.0, false, 100.0, 2),
            (Vec::<String>::new(), false)
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(at_most("abcdef", 3), "abc…");
        assert_eq!(at_most("abc", 3), "abc");
    }
}
