//! Neutralising untrusted text for each place `ft` writes it.
//!
//! A team workspace is a git repository anyone on the team can push to, so
//! customer names, notes, services, task and stage names, file names and
//! anything quoted from a file may have been written to harm whoever reads
//! them. Each destination has its own rules, so there is one function per
//! destination, and renderers call it once, on the way out. Keeping them here
//! means there is one place to fix when a destination turns out to need more.
//!
//! Control characters (C0, DEL and C1), bidirectional overrides and isolates,
//! and the Unicode line and paragraph separators are never passed through
//! raw: where a destination cannot show them they are written visibly, the
//! way Rust writes them in strings (`\u{1b}`, `\n`, `\r`, `\t`). A backslash
//! in the text itself is left alone, so the visible form is for people, not
//! for parsing back. The one exception is YAML ([`yaml`]): the importer
//! writes playbooks that are parsed back, so there every string is quoted to
//! read back exactly.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that reorder or hide text on screen without being control
/// characters: bidirectional marks, embeddings, overrides and isolates, and the
/// Unicode line and paragraph separators.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}

/// A character no destination should receive raw.
fn is_hazard(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Write `c` in its visible form: `\n`, `\r`, `\t`, or `\u{..}`.
fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Text for one line of a terminal (a table cell, a heading, a warning):
/// every control character, newline included, and every bidi override is
/// shown escaped, so nothing can move the cursor, retitle or clear the
/// terminal, ring the bell, or start a new line that looks like ours.
pub fn terminal(s: &str) -> String {
    terminal_borrowed(s).into_owned()
}

/// [`terminal`], borrowing `s` when it has nothing to escape (most text).
pub fn terminal_borrowed(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hazard(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for several lines of a terminal (an error message that may span
/// lines): like [`terminal`], but a newline stays a newline.
pub fn terminal_lines(s: &str) -> String {
    s.split('\n').map(terminal).collect::<Vec<_>>().join("\n")
}

/// Inline Markdown text: a table cell, or text after a heading's `#`s.
///
/// The text stays on one line (a line break becomes `<br>`, as GitHub and
/// Azure DevOps show it in a table), so it can never start a heading, a quote,
/// a list, a code fence or a Mermaid block. Pipes cannot end the cell;
/// backticks, `*`, `~`, `$` and word-edge `_` are backslash-escaped so they
/// show as typed; `<` becomes `&lt;` so nothing reads as HTML or an autolink;
/// `](` cannot close a link; `&` that could start an entity becomes `&amp;`.
/// Other control characters are shown escaped. Plain text (letters, digits,
/// spaces, `-`, `/`, `(`, `:`, `.`, `,`, `#`) is unchanged. Text that begins a
/// line, such as a list item, needs [`markdown_line`] instead.
pub fn markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let word = |i: Option<&char>| i.is_some_and(|c| c.is_alphanumeric());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1);
        match c {
            '\r' if next == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push_str("<br>"),
            '\\' | '`' | '*' | '~' | '$' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1).and_then(|p| chars.get(p))) && word(next)) => {
                out.push_str("\\_");
            }
            ']' if next == Some(&'(') => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => {
                out.push_str("&amp;");
            }
            c if is_hazard(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Markdown text that begins a line or a list item, where a leading `#`,
/// `>`, `-`, `+`, `=` or `1.` would start a heading, a quote or a list: like
/// [`markdown`], with that first character backslash-escaped.
pub fn markdown_line(s: &str) -> String {
    let inline = markdown(s);
    let digits = inline.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0 && matches!(inline.as_bytes().get(digits), Some(b'.' | b')'));
    if ordered {
        format!("{}\\{}", &inline[..digits], &inline[digits..])
    } else if inline.starts_with(['#', '>', '-', '+', '=']) {
        format!("\\{inline}")
    } else {
        inline
    }
}

/// Text inside an HTML element or a quoted attribute value.
/// Control characters other than newline and tab are shown escaped.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if is_hazard(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Whether a spreadsheet would read the whole cell as a number (`-12`,
/// `-0.5`, `3`): such a cell cannot hold a formula, so it stays a number.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// One CSV cell (RFC 4180), safe to open in a spreadsheet.
///
/// A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
/// could be run as a formula (`=HYPERLINK(..)`, `+cmd|' /C calc'!A0`), so it
/// gets a leading `'` as OWASP recommends, and is quoted. Two kinds of cell
/// cannot be formulas and are left as they are: a plain decimal number such as
/// `-3` or `-0.5` (so numbers stay numbers) and a lone `-`, which `ft` writes
/// for "none". A cell holding a comma, a quote or a line break is quoted,
/// with quotes doubled. Line breaks and tabs stay; other control characters
/// are shown escaped, so a CSV printed to a terminal is as safe as a table.
pub fn csv(s: &str) -> String {
    let formula =
        s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s != "-" && !is_plain_number(s);
    let mut cell = String::with_capacity(s.len() + 3);
    if formula {
        cell.push('\'');
    }
    for c in s.chars() {
        match c {
            '\n' | '\t' => cell.push(c),
            c if is_hazard(c) => push_visible(&mut cell, c),
            c => cell.push(c),
        }
    }
    if formula || cell.contains([',', '"', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// Text for a one-line TOML comment (`# ...`): TOML forbids control
/// characters other than tab in comments, and a line break would end the
/// comment, so every control character and bidi override is shown escaped.
pub fn toml_comment(s: &str) -> String {
    terminal(s)
}

/// Text for a Mermaid label (a gantt title, section or task name).
///
/// Mermaid reads `:` as the start of a task's data, `;` and a line break as
/// the end of a statement and `#` as the start of an entity code, and a
/// backtick or `<` could end the code fence or read as markup. All of these,
/// and every control character, become spaces, and runs of white space
/// collapse to one, so a label is always one harmless line.
pub fn mermaid(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, ':' | ';' | '#' | '`' | '<' | '>') || is_hazard(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` as a YAML double-quoted scalar that reads back as exactly `s`: every
/// string the importer writes goes through here.
pub fn yaml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if yaml_needs_escape(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters written as `\u` escapes: those outside YAML's printable set
/// (controls, U+FFFE and U+FFFF), which a YAML file may not hold as they are.
pub fn yaml_needs_escape(c: char) -> bool {
    !matches!(c, ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// One word of a command line a person may paste into a POSIX shell: left
/// as it is when it holds only characters no shell treats specially, else
/// in single quotes, so `Core Onboarding` or `$(rm -rf ~)` reach `ft` as one
/// literal argument. Hazards are shown visibly (see [`terminal`]).
pub fn shell(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./,:=@%+".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        return s.to_string();
    }
    format!("'{}'", terminal(s).replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "Evil\x1b]0;PWNED\x07\x1b[2J";
    const HYPERLINK: &str = "=HYPERLINK(\"http://x\")";
    const DDE: &str = "+cmd|' /C calc'!A0";
    const BREAK: &str = "a|b\nc";

    fn no_raw_controls(s: &str) {
        assert!(
            !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{s:?}"
        );
    }

    #[test]
    fn terminal_shows_every_control_and_bidi_character() {
        assert_eq!(
            terminal(TITLE),
            "Evil\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J",
            "OSC title, BEL and clear screen"
        );
        assert_eq!(terminal("a\rb\x08c\x7f"), "a\\rb\\u{8}c\\u{7f}");
        assert_eq!(terminal("x\u{9b}31m"), "x\\u{9b}31m", "C1 CSI");
        assert_eq!(terminal("abc\u{202e}txt.exe"), "abc\\u{202e}txt.exe");
        assert_eq!(terminal("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(terminal(BREAK), "a|b\\nc", "one cell stays one line");
        assert_eq!(terminal("tab\there"), "tab\\there");
        assert_eq!(
            terminal("Contoso Pharmaceuticals"),
            "Contoso Pharmaceuticals"
        );
        assert_eq!(terminal("Zürich 東京 café"), "Zürich 東京 café");
        for hostile in [TITLE, HYPERLINK, DDE, BREAK] {
            assert!(!terminal(hostile).chars().any(is_hazard));
        }
    }

    #[test]
    fn terminal_lines_keeps_line_breaks_only() {
        assert_eq!(
            terminal_lines("first\nsecond\x1b[2J\r"),
            "first\nsecond\\u{1b}[2J\\r"
        );
    }

    #[test]
    fn markdown_text_cannot_break_the_table_or_add_markup() {
        assert_eq!(markdown(BREAK), "a\\|b<br>c");
        assert_eq!(
            markdown("x\r\n# Owned\n```mermaid"),
            "x<br># Owned<br>\\`\\`\\`mermaid"
        );
        assert_eq!(markdown("# heading"), "# heading", "harmless inside a cell");
        assert_eq!(markdown_line("# heading"), "\\# heading");
        assert_eq!(markdown_line("> quote"), "\\> quote");
        assert_eq!(markdown_line("- item"), "\\- item");
        assert_eq!(markdown_line("12. item"), "12\\. item");
        assert_eq!(markdown_line("2) item"), "2\\) item");
        assert_eq!(markdown_line("2026-11-23 note"), "2026-11-23 note");
        assert_eq!(markdown_line("Open blockers: 1"), "Open blockers: 1");
        assert_eq!(markdown_line("a|b\n# c"), "a\\|b<br># c");
        assert_eq!(markdown("a # b > c"), "a # b > c");
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)>"
        );
        assert_eq!(markdown("[click](http://evil)"), "[click\\](http://evil)");
        assert_eq!(markdown("![i](x)"), "![i\\](x)");
        assert_eq!(
            markdown("**bold** ~~gone~~ $x$"),
            "\\*\\*bold\\*\\* \\~\\~gone\\~\\~ \\$x\\$"
        );
        assert_eq!(markdown("_em_ snake_case"), "\\_em\\_ snake_case");
        assert_eq!(
            markdown("a\\|b"),
            "a\\\\\\|b",
            "a backslash cannot unescape a pipe"
        );
        assert_eq!(markdown("&lt; AT&T & co"), "&amp;lt; AT&amp;T & co");
        assert_eq!(markdown(TITLE), "Evil\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J");
        assert_eq!(markdown(DDE), "+cmd\\|' /C calc'!A0");
    }

    #[test]
    fn markdown_leaves_ordinary_text_alone() {
        for s in [
            "Conduct Initiate/Kickoff Meeting(s)",
            "Conduct Adoption & Change Management Conversation",
            "missing success_owner",
            "3979 Handover between Gateway/GRT and CSS (optional) [FM]",
            "http://aka.ms/fasttrackterms. View Task Guidance",
            "-",
            "yellow (worsening)",
            "every 1-2 weeks; last held Thu 5 Nov; 4 days overdue",
        ] {
            assert_eq!(markdown(s), s);
        }
    }

    #[test]
    fn html_escapes_the_five_characters() {
        assert_eq!(
            html("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(html(TITLE), "Evil\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J");
        assert_eq!(html("two\nlines"), "two\nlines");
    }

    #[test]
    fn csv_prefixes_formulas_and_quotes_per_rfc_4180() {
        assert_eq!(csv(HYPERLINK), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv(DDE), "\"'+cmd|' /C calc'!A0\"");
        assert_eq!(csv("-2+3+cmd|' /C calc'!A0"), "\"'-2+3+cmd|' /C calc'!A0\"");
        assert_eq!(csv("@SUM(A1:A2)"), "\"'@SUM(A1:A2)\"");
        assert_eq!(csv("\t=1+1"), "\"'\t=1+1\"");
        assert_eq!(csv("\r=1+1"), "\"'\\r=1+1\"");
        assert_eq!(csv(BREAK), "\"a|b\nc\"");
        assert_eq!(csv("Contoso, \"Ltd\""), "\"Contoso, \"\"Ltd\"\"\"");
        assert_eq!(csv("plain"), "plain");
        assert_eq!(csv("a=b"), "a=b", "only the first character matters");
        no_raw_controls(&csv(TITLE));
        assert_eq!(csv(TITLE), "Evil\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J");
    }

    #[test]
    fn csv_keeps_numbers_and_the_none_dash() {
        for s in ["-", "-3", "-0.5", "12", "0.25", "2/5"] {
            assert_eq!(csv(s), s);
        }
        for s in ["-.5", "-3.", "--3", "-3e5", "-inf", "+3", "-1 day", "- x"] {
            assert!(csv(s).starts_with("\"'"), "{s}");
        }
    }

    #[test]
    fn toml_comment_is_one_clean_line() {
        assert_eq!(
            toml_comment("Evil\x1b[2JRed\nplaybook = \"x\""),
            "Evil\\u{1b}[2JRed\\nplaybook = \"x\""
        );
        let c = toml_comment(TITLE);
        assert!(!c.chars().any(|c| c.is_control()), "{c:?}");
    }

    #[test]
    fn mermaid_labels_are_one_harmless_line() {
        assert_eq!(mermaid("Kickoff: day 1; #2"), "Kickoff day 1 2");
        assert_eq!(
            mermaid("x\n```\n# evil\x1b[2J"),
            "x evil [2J",
            "no line break, fence, comment or escape"
        );
        assert_eq!(mermaid("  a \t b  "), "a b");
        assert_eq!(mermaid("<b>x</b>"), "b x /b");
        assert_eq!(
            mermaid("Conduct Initiate/Kickoff Meeting(s)"),
            "Conduct Initiate/Kickoff Meeting(s)"
        );
    }

    #[test]
    fn shell_words_paste_as_one_literal_argument() {
        assert_eq!(shell("ICM,DFM"), "ICM,DFM");
        assert_eq!(shell("Core Onboarding"), "'Core Onboarding'");
        assert_eq!(shell("it's $(x)"), "'it'\\''s $(x)'");
        assert_eq!(shell(""), "''");
        assert_eq!(shell("a\x1b[2J"), "'a\\u{1b}[2J'");
    }
}
