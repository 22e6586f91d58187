//! The real registry, through `winreg`. Values are decoded here by hand
//! (little-endian UTF-16, no pointer casts) so odd-length or unaligned data
//! from a damaged key is shown, not trusted.

use std::io::ErrorKind;

use winreg::RegKey;
use winreg::enums::{
    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY, REG_DWORD,
    REG_DWORD_BIG_ENDIAN, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ, RegType,
};

use super::registry::{Hive, RegData, RegistrySource};

/// This machine's registry, 64-bit view (the `WOW6432Node` twin is read by
/// its explicit path, so the view is the same whatever the exe's bitness).
#[derive(Debug, Clone, Copy, Default)]
pub struct WindowsRegistry;

fn utf16(bytes: &[u8]) -> String {
    let words: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&words)
}

fn decode(vtype: &RegType, bytes: &[u8]) -> RegData {
    match vtype {
        REG_SZ | REG_EXPAND_SZ => RegData::Str(utf16(bytes).trim_end_matches('\0').to_string()),
        REG_MULTI_SZ => RegData::MultiStr(
            utf16(bytes)
                .trim_end_matches('\0')
                .split('\0')
                .map(str::to_string)
                .collect(),
        ),
        REG_DWORD if bytes.len() == 4 => {
            RegData::Dword(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        }
        REG_DWORD_BIG_ENDIAN if bytes.len() == 4 => {
            RegData::Dword(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        }
        REG_QWORD if bytes.len() == 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(bytes);
            RegData::Qword(u64::from_le_bytes(b))
        }
        _ => RegData::Binary(bytes.to_vec()),
    }
}

impl RegistrySource for WindowsRegistry {
    fn values(&self, hive: Hive, path: &str) -> Result<Option<Vec<(String, RegData)>>, String> {
        let root = RegKey::predef(match hive {
            Hive::LocalMachine => HKEY_LOCAL_MACHINE,
            Hive::CurrentUser => HKEY_CURRENT_USER,
        });
        let key = match root.open_subkey_with_flags(path, KEY_READ | KEY_WOW64_64KEY) {
            Ok(k) => k,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let mut out = Vec::new();
        for item in key.enum_values() {
            match item {
                Ok((name, value)) => out.push((name, decode(&value.vtype, &value.bytes))),
                Err(e) => return Err(format!("enumerating values: {e}")),
            }
        }
        Ok(Some(out))
    }
}
