//! The band colours, defined once: risk-matrix cells and band badges use the same ones, so a colour means
//! the same band everywhere on the page. None of them is used by the data-flow diagram.

use vigil_core::Band;

/// A band's background and the text colour readable on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swatch {
    pub fill: &'static str,
    pub ink: &'static str,
}

pub const CRITICAL: Swatch = Swatch {
    fill: "#9b1c1c",
    ink: "#ffffff",
};
pub const HIGH: Swatch = Swatch {
    fill: "#f08c00",
    ink: "#1b1b1b",
};
pub const MEDIUM: Swatch = Swatch {
    fill: "#f7d84b",
    ink: "#1b1b1b",
};
pub const LOW: Swatch = Swatch {
    fill: "#a9d18e",
    ink: "#1b1b1b",
};

pub fn swatch(band: Band) -> Swatch {
    match band {
        Band::Critical => CRITICAL,
        Band::High => HIGH,
        Band::Medium => MEDIUM,
        Band::Low => LOW,
    }
}

/// One CSS rule per band for the badges (`class="band band-critical"`).
pub fn badge_css() -> String {
    Band::ALL
        .iter()
        .map(|&band| {
            let Swatch { fill, ink } = swatch(band);
            format!(".band-{band}{{background:{fill};color:{ink}}}\n")
        })
        .collect()
}

/// A band badge.
pub fn badge(band: Band) -> String {
    format!("<span class=\"band band-{band}\">{band}</span>")
}
