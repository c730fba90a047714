//! Counted nouns for messages: "1 error", "2 errors", "1 day", so every
//! output gets its plurals right from one place.

/// The noun for `n` things: `one` for exactly one, else `many`.
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// "1 error", "0 errors", "3 errors".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// "training" -> "Training".
pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "a PM", "an FM", "an FE", "a day", "an engagement": the indefinite
/// article for `word`. An initialism (all capitals, as role ids are) is read
/// letter by letter, so it takes "an" when its first letter's name begins
/// with a vowel sound (A E F H I L M N O R S X); another word takes "an"
/// before a/e/i/o/u.
pub fn article(word: &str) -> &'static str {
    let Some(first) = word.chars().next() else {
        return "a";
    };
    let initialism = word.chars().filter(char::is_ascii_alphabetic).count() > 0
        && !word.chars().any(|c| c.is_ascii_lowercase());
    let vowel = if initialism {
        "AEFHILMNORSX".contains(first.to_ascii_uppercase())
    } else {
        "aeiou".contains(first.to_ascii_lowercase())
    };
    if vowel { "an" } else { "a" }
}

/// "a PM", "an FM": `word` with its indefinite article.
pub fn with_article(word: &str) -> String {
    format!("{} {word}", article(word))
}

/// "a", "a or b", "a, b or c".
pub fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", rest.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(0, "error", "errors"), "0 errors");
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(2, "day", "days"), "2 days");
        assert_eq!(plural(11, "engagement", "engagements"), "engagements");
    }

    #[test]
    fn initialisms_take_the_article_of_their_first_letter_s_name() {
        for (role, want) in [
            ("FM", "an FM"),
            ("FE", "an FE"),
            ("FTA", "an FTA"),
            ("MVP", "an MVP"),
            ("SRE", "an SRE"),
            ("HR", "an HR"),
            ("LT", "an LT"),
            ("NDA", "an NDA"),
            ("RM", "an RM"),
            ("XP", "an XP"),
            ("AE", "an AE"),
            ("ATS", "an ATS"),
            ("PM", "a PM"),
            ("PE", "a PE"),
            ("CSM", "a CSM"),
            ("TAM", "a TAM"),
            ("UX", "a UX"),
            ("DFM", "a DFM"),
        ] {
            assert_eq!(with_article(role), want);
        }
    }

    #[test]
    fn words_take_an_before_a_written_vowel() {
        assert_eq!(with_article("engagement"), "an engagement");
        assert_eq!(with_article("Architect"), "an Architect");
        assert_eq!(with_article("day"), "a day");
        assert_eq!(with_article("manager"), "a manager");
        assert_eq!(article(""), "a");
    }

    #[test]
    fn alternatives_are_listed_with_or_before_the_last() {
        assert_eq!(or_list::<&str>(&[]), "");
        assert_eq!(or_list(&["an FE"]), "an FE");
        assert_eq!(or_list(&["an FE", "a PM"]), "an FE or a PM");
        assert_eq!(
            or_list(&["an FTA", "a PE", "an FE"]),
            "an FTA, a PE or an FE"
        );
    }
}
