//! Pasted `Get-CsImConfiguration` / `Get-CsClientPolicy` output (`--server-config`).
//!
//! PowerShell's list view (DOMAIN.md): `Name<padding> : Value`, one object
//! per block, blocks separated by blank lines, booleans `True`/`False`, an
//! empty value meaning "not set". Long values wrap onto indented lines.
//! Windows PowerShell's `>` writes UTF-16 LE with a BOM, so the encoding is
//! taken from the BOM. Names are matched case-insensitively (the cmdlet
//! reference spells `EnableOfflineIm`, the product doc `EnableOfflineIM`).

use std::path::Path;

use serde::{Deserialize, Serialize};

/// A boolean setting as pasted: set to a value, blank (not set), or unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "value")]
pub enum Setting {
    Set(bool),
    NotSet,
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImConfiguration {
    pub identity: String,
    pub enable_offline_im: Setting,
    /// 1-based line of the `EnableOfflineIm` property (or the block's first line).
    pub line: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPolicy {
    pub identity: String,
    pub enable_im_auto_archiving: Setting,
    pub disable_saving_im: Setting,
    pub enable_server_conversation_history: Setting,
    pub line: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConfig {
    pub path: String,
    pub im_configurations: Vec<ImConfiguration>,
    pub client_policies: Vec<ClientPolicy>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServerConfigError {
    #[error("--server-config {path}: cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(
        "--server-config {path}: holds no Get-CsImConfiguration object (with EnableOfflineIm) and no Get-CsClientPolicy object (with EnableIMAutoArchiving). Paste the list-view output of `Get-CsImConfiguration` and/or `Get-CsClientPolicy | Format-List`"
    )]
    NothingRecognised { path: String },
}

/// Largest file accepted: real pastes are a few hundred KiB at most.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

pub fn load(path: &Path) -> Result<ServerConfig, ServerConfigError> {
    let unreadable = |reason: String| ServerConfigError::Unreadable {
        path: path.display().to_string(),
        reason,
    };
    let file = crate::fsutil::open_shared(path).map_err(|e| unreadable(e.to_string()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_BYTES {
        return Err(unreadable(format!(
            "{size} bytes is larger than the {MAX_BYTES}-byte limit for pasted cmdlet output"
        )));
    }
    let bytes = crate::fsutil::read_head(path, MAX_BYTES as usize)
        .map_err(|e| unreadable(e.to_string()))?;
    let config = parse_bytes(&bytes, &path.display().to_string());
    if config.im_configurations.is_empty() && config.client_policies.is_empty() {
        return Err(ServerConfigError::NothingRecognised {
            path: path.display().to_string(),
        });
    }
    Ok(config)
}

/// Parse a paste as read from disk: the encoding is taken from the BOM (or
/// guessed as UTF-16 LE from NUL bytes), then the list view is parsed.
pub fn parse_bytes(bytes: &[u8], path: &str) -> ServerConfig {
    parse(&decode(bytes), path)
}

fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    // No BOM but every other byte NUL: UTF-16 LE without a BOM.
    if bytes.len() >= 4 && bytes.iter().skip(1).step_by(2).take(64).all(|&b| b == 0) {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(bytes)
            .0
            .into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

struct Property {
    name: String,
    value: String,
    line: u64,
}

/// Split list-view text into objects (blocks of `Name : Value` lines).
fn blocks(text: &str) -> Vec<Vec<Property>> {
    let mut out: Vec<Vec<Property>> = Vec::new();
    let mut current: Vec<Property> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = raw.trim_end_matches(['\r', '\u{feff}']);
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some((name, value)) = split_property(line) {
            current.push(Property {
                name: name.to_string(),
                value: value.to_string(),
                line: line_no,
            });
        } else if line.starts_with([' ', '\t'])
            && let Some(last) = current.last_mut()
        {
            // A wrapped value continues on an indented line.
            last.value.push_str(line.trim());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `Name<spaces> : Value` → (Name, Value). The name is one word; the first
/// colon after it separates (values such as `Tag:Sales` keep theirs).
fn split_property(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.split_once(':')?;
    let name = name.trim();
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
    {
        return None;
    }
    Some((name, rest.trim()))
}

fn setting(value: &str) -> Setting {
    let v = value.trim().trim_start_matches('$');
    if v.is_empty() {
        Setting::NotSet
    } else if v.eq_ignore_ascii_case("true") {
        Setting::Set(true)
    } else if v.eq_ignore_ascii_case("false") {
        Setting::Set(false)
    } else {
        Setting::Invalid(value.to_string())
    }
}

pub fn parse(text: &str, path: &str) -> ServerConfig {
    let mut config = ServerConfig {
        path: path.to_string(),
        im_configurations: Vec::new(),
        client_policies: Vec::new(),
    };
    for block in blocks(text) {
        let get = |name: &str| block.iter().find(|p| p.name.eq_ignore_ascii_case(name));
        let identity = get("Identity")
            .map(|p| p.value.clone())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "(no Identity)".to_string());
        let first_line = block.first().map_or(0, |p| p.line);
        let of = |name: &str| get(name).map(|p| (setting(&p.value), p.line));
        if let Some((s, line)) = of("EnableOfflineIm") {
            config.im_configurations.push(ImConfiguration {
                identity: identity.clone(),
                enable_offline_im: s,
                line,
            });
        }
        if let Some((s, line)) = of("EnableIMAutoArchiving") {
            config.client_policies.push(ClientPolicy {
                identity,
                enable_im_auto_archiving: s,
                disable_saving_im: of("DisableSavingIM").map_or(Setting::NotSet, |x| x.0),
                enable_server_conversation_history: of("EnableServerConversationHistory")
                    .map_or(Setting::NotSet, |x| x.0),
                line: if line == 0 { first_line } else { line },
            });
        }
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASTE: &str = "PS C:\\> Get-CsImConfiguration\r\n\r\nIdentity                  : Global\r\nEnableOfflineIm           : True\r\nEnableFileTransfer        : \r\n\r\nIdentity : Site:Redmond\r\nenableofflineim : False\r\n\r\nIdentity                              : Tag:NoArchive\r\nEnableIMAutoArchiving                 : False\r\nDisableSavingIM                       : \r\n";

    #[test]
    fn parses_blocks_crlf_and_identities() {
        let c = parse(PASTE, "x");
        assert_eq!(c.im_configurations.len(), 2);
        assert_eq!(c.im_configurations[0].identity, "Global");
        assert_eq!(c.im_configurations[0].enable_offline_im, Setting::Set(true));
        assert_eq!(c.im_configurations[1].identity, "Site:Redmond");
        assert_eq!(
            c.im_configurations[1].enable_offline_im,
            Setting::Set(false)
        );
        assert_eq!(c.im_configurations[1].line, 8);
        assert_eq!(c.client_policies[0].identity, "Tag:NoArchive");
        assert_eq!(
            c.client_policies[0].enable_im_auto_archiving,
            Setting::Set(false)
        );
        assert_eq!(c.client_policies[0].disable_saving_im, Setting::NotSet);
    }

    #[test]
    fn blank_is_not_set_and_junk_is_invalid() {
        let c = parse(
            "Identity : Global\nEnableOfflineIm :\n\nIdentity: Tag:x\nEnableIMAutoArchiving : maybe\n",
            "x",
        );
        assert_eq!(c.im_configurations[0].enable_offline_im, Setting::NotSet);
        assert_eq!(
            c.client_policies[0].enable_im_auto_archiving,
            Setting::Invalid("maybe".into())
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Identity : Global\r\nEnableOfflineIm : False\r\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let c = parse(&decode(&b), "x");
        assert_eq!(
            c.im_configurations[0].enable_offline_im,
            Setting::Set(false)
        );
    }
}
