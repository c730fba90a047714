//! The one place YAML is parsed.
//!
//! serde-saphyr enforces budgets on depth, size, anchors and aliases while it
//! parses, so hostile documents are refused quickly instead of exhausting the
//! stack or memory.

use serde::de::DeserializeOwned;

/// Largest playbook file accepted.
pub const MAX_BYTES: usize = 1 << 20;

/// A YAML problem with its 1-based position, when known.
#[derive(Debug)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_BYTES {
        return Err(YamlError {
            line: 1,
            column: 1,
            message: format!(
                "file is {} bytes; playbooks are limited to {MAX_BYTES} bytes",
                text.len()
            ),
        });
    }
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 64;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_nodes = 200_000;
    budget.max_total_scalar_bytes = MAX_BYTES;
    budget.max_documents = 1;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let plain = e.without_snippet().to_string();
        let message = match plain.rfind(" at line ") {
            Some(i) => plain[..i].to_string(),
            None => plain,
        };
        YamlError {
            line,
            column,
            message,
        }
    })
}
