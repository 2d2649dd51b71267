//! Inline SVG charts computed on the server: a bar chart of signatures over time and a tile
//! map of Kazakhstan's 20 first-level regions. Geometry is plain numbers for the templates
//! (which escape every label); colours come from classes in the stylesheet, since the CSP
//! allows no inline styles. Each chart comes with its data as a table.

use time::{Date, OffsetDateTime};
use tyndau_ids::Region;
use tyndau_read_model::{PublicCount, RegionCount};

use crate::i18n::{self, KAZAKHSTAN, Lang};

pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    pub label: String,
    pub value: String,
}

pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub summary: String,
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub top: i64,
    pub base: i64,
    pub max_label: String,
    pub first_label: Option<String>,
    pub last_label: Option<String>,
    pub bars: Vec<Bar>,
    pub period_header: &'static str,
    pub value_header: &'static str,
    pub show_table: &'static str,
}

const WIDTH: i64 = 720;
const HEIGHT: i64 = 220;
const LEFT: i64 = 56;
const TOP: i64 = 10;
const BASE: i64 = HEIGHT - 24;

/// A series point: its label for the axis and table, and its value.
pub struct Point {
    pub label: String,
    pub value: i64,
}

/// Bars for `points` (oldest first); `None` when there is nothing to draw.
pub fn bar_chart(
    lang: Lang,
    id: &'static str,
    title: String,
    unit: &str,
    points: Vec<Point>,
) -> Option<BarChart> {
    if points.is_empty() {
        return None;
    }
    let t = lang.t();
    let max = points.iter().map(|p| p.value).max().unwrap_or(0).max(1);
    let total: i64 = points.iter().map(|p| p.value).sum();
    let plot = WIDTH - LEFT;
    let count = i64::try_from(points.len()).unwrap_or(i64::MAX).max(1);
    // Wide enough to read, never wider than a thick bar: a short series stays left-aligned.
    let slot = (plot / count).clamp(1, 48);
    let gap = if slot > 4 { slot / 5 } else { 0 };
    let first_label = points.first().map(|p| p.label.clone());
    let last_label = (points.len() > 1)
        .then(|| points.last().map(|p| p.label.clone()))
        .flatten();
    let busiest = points
        .iter()
        .max_by_key(|p| p.value)
        .map(|p| format!("{} ({})", p.label, i18n::number(lang, p.value)));
    let bars = points
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let h = (p.value.max(0) * (BASE - TOP)) / max;
            Bar {
                x: LEFT + i64::try_from(i).unwrap_or(0) * slot + gap / 2,
                y: BASE - h,
                w: (slot - gap).max(1),
                h,
                label: p.label,
                value: i18n::number(lang, p.value),
            }
        })
        .collect::<Vec<_>>();
    let summary = summary(lang, unit, bars.len(), total, busiest.as_deref());
    Some(BarChart {
        id,
        title,
        summary,
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        top: TOP,
        base: BASE,
        max_label: i18n::number(lang, max),
        first_label,
        last_label,
        bars,
        period_header: t.period,
        value_header: t.signatures_heading,
        show_table: t.show_table,
    })
}

fn summary(lang: Lang, unit: &str, periods: usize, total: i64, busiest: Option<&str>) -> String {
    let periods = i64::try_from(periods).unwrap_or(i64::MAX);
    i18n::chart_summary(lang, total, unit, periods, busiest.unwrap_or("—"))
}

/// An hourly series as chart points: by hour over up to three days, else summed by day (in
/// Kazakhstan's time), so a long petition still gets readable bars.
pub fn signing_points(lang: Lang, hourly: &[(OffsetDateTime, i64)]) -> (Vec<Point>, bool) {
    let (Some(first), Some(last)) = (hourly.first(), hourly.last()) else {
        return (Vec::new(), true);
    };
    if last.0 - first.0 <= time::Duration::hours(72) {
        let points = hourly
            .iter()
            .map(|(hour, n)| {
                let local = hour.to_offset(KAZAKHSTAN);
                Point {
                    label: format!("{}, {:02}:00", i18n::day_short(lang, local.date()), local.hour()),
                    value: *n,
                }
            })
            .collect();
        return (points, true);
    }
    let mut days: Vec<(Date, i64)> = Vec::new();
    for (hour, n) in hourly {
        let day = hour.to_offset(KAZAKHSTAN).date();
        match days.last_mut() {
            Some((d, total)) if *d == day => *total += n,
            _ => days.push((day, *n)),
        }
    }
    (daily_points(lang, &days), false)
}

pub fn daily_points(lang: Lang, days: &[(Date, i64)]) -> Vec<Point> {
    days.iter()
        .map(|(day, n)| Point {
            label: i18n::day(lang, *day),
            value: *n,
        })
        .collect()
}

pub struct Tile {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    pub cx: i64,
    pub short: &'static str,
    pub name: &'static str,
    pub value: String,
    pub class: &'static str,
}

pub struct RegionRow {
    pub name: &'static str,
    pub value: String,
}

pub struct TileMap {
    pub id: &'static str,
    pub title: String,
    pub summary: String,
    pub caption: String,
    pub legend: &'static str,
    pub width: i64,
    pub height: i64,
    pub tiles: Vec<Tile>,
    pub rows: Vec<RegionRow>,
    pub region_header: &'static str,
    pub value_header: &'static str,
    pub unspecified_label: &'static str,
    pub unspecified: String,
    pub total_label: &'static str,
    pub total: String,
    pub note: &'static str,
}

/// Where each region sits on the tile grid (column, row): west to east, north to south,
/// roughly as on the map, each city of republican significance next to its surroundings.
fn position(region: Region) -> (i64, i64) {
    match region {
        Region::WestKazakhstan => (0, 0),
        Region::Kostanay => (2, 0),
        Region::NorthKazakhstan => (3, 0),
        Region::Pavlodar => (4, 0),
        Region::Atyrau => (0, 1),
        Region::Aktobe => (1, 1),
        Region::Ulytau => (2, 1),
        Region::Akmola => (3, 1),
        Region::Astana => (4, 1),
        Region::Abai => (5, 1),
        Region::EastKazakhstan => (6, 1),
        Region::Mangystau => (0, 2),
        Region::Kyzylorda => (1, 2),
        Region::Turkestan => (2, 2),
        Region::Karaganda => (3, 2),
        Region::AlmatyRegion => (4, 2),
        Region::Zhetysu => (5, 2),
        Region::Shymkent => (2, 3),
        Region::Zhambyl => (3, 3),
        Region::Almaty => (4, 3),
    }
}

const TILE_W: i64 = 100;
const TILE_H: i64 = 56;
const TILE_GAP: i64 = 6;

/// A shown count: exact, "fewer than 5", or withheld to protect a small count elsewhere.
pub fn public_count(lang: Lang, count: &PublicCount) -> String {
    match (count.signatures, count.fewer_than) {
        (Some(n), _) => i18n::number(lang, n),
        (None, Some(_)) => lang.t().fewer_than_five.to_owned(),
        (None, None) => lang.t().withheld.to_owned(),
    }
}

/// Shade 0 (none) to 5 (the most), by the share of the largest regional count; a withheld
/// count is the lightest non-empty shade.
fn shade(count: &PublicCount, max: i64) -> &'static str {
    match (count.signatures, count.fewer_than) {
        (None, _) => "t1",
        (Some(n), _) if n > 0 && max > 0 => match (n * 5 + max - 1) / max {
            0 | 1 => "t1",
            2 => "t2",
            3 => "t3",
            4 => "t4",
            _ => "t5",
        },
        _ => "t0",
    }
}

pub fn tile_map(
    lang: Lang,
    id: &'static str,
    title: String,
    regions: &[RegionCount],
    unspecified: &PublicCount,
    total: i64,
) -> TileMap {
    let t = lang.t();
    let max = regions
        .iter()
        .filter_map(|r| r.count.signatures)
        .max()
        .unwrap_or(0);
    let tiles = regions
        .iter()
        .map(|r| {
            let (col, row) = position(r.region);
            let x = col * (TILE_W + TILE_GAP);
            Tile {
                x,
                y: row * (TILE_H + TILE_GAP),
                w: TILE_W,
                h: TILE_H,
                cx: x + TILE_W / 2,
                short: i18n::region_short(lang, r.region),
                name: i18n::region_name(lang, r.region),
                value: public_count(lang, &r.count),
                class: shade(&r.count, max),
            }
        })
        .collect();
    let mut ranked: Vec<&RegionCount> = regions
        .iter()
        .filter(|r| r.count.signatures.unwrap_or(0) > 0)
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.count.signatures.unwrap_or(0)));
    let top: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|r| {
            format!(
                "{} ({})",
                i18n::region_name(lang, r.region),
                public_count(lang, &r.count)
            )
        })
        .collect();
    let summary = i18n::map_summary(lang, total, &top);
    TileMap {
        id,
        caption: t.by_region_caption.to_owned(),
        title,
        summary,
        legend: t.map_legend,
        width: 7 * TILE_W + 6 * TILE_GAP,
        height: 4 * TILE_H + 3 * TILE_GAP,
        tiles,
        rows: regions
            .iter()
            .map(|r| RegionRow {
                name: i18n::region_name(lang, r.region),
                value: public_count(lang, &r.count),
            })
            .collect(),
        region_header: t.region,
        value_header: t.signatures_heading,
        unspecified_label: t.unspecified,
        unspecified: public_count(lang, unspecified),
        total_label: t.total,
        total: i18n::number(lang, total),
        note: t.small_counts_note,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use std::collections::HashSet;

    use time::macros::datetime;

    use super::*;

    #[test]
    fn every_region_has_its_own_tile() {
        let cells: HashSet<(i64, i64)> = Region::ALL.iter().map(|r| position(*r)).collect();
        assert_eq!(cells.len(), 20);
        assert!(
            cells
                .iter()
                .all(|(c, r)| (0..7).contains(c) && (0..4).contains(r))
        );
    }

    #[test]
    fn shades_grow_with_the_count_and_withheld_counts_stay_light() {
        assert_eq!(shade(&PublicCount::exact(0), 100), "t0");
        assert_eq!(shade(&PublicCount::fewer_than_small(), 100), "t1");
        assert_eq!(shade(&PublicCount::exact(100), 100), "t5");
        assert_eq!(shade(&PublicCount::exact(50), 100), "t3");
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let points = vec![
            Point {
                label: "a".into(),
                value: 10,
            },
            Point {
                label: "b".into(),
                value: 5,
            },
        ];
        let chart = bar_chart(Lang::En, "c", "t".into(), "per hour", points).unwrap();
        assert_eq!(chart.bars[0].h, BASE - TOP);
        assert_eq!(chart.bars[1].h, (BASE - TOP) / 2);
        assert!(
            chart.summary.starts_with("15 signatures, per hour (2 periods)"),
            "{}",
            chart.summary
        );
        assert!(bar_chart(Lang::En, "c", "t".into(), "", Vec::new()).is_none());
    }

    #[test]
    fn long_series_are_summed_by_day_in_kazakhstan() {
        let hourly = [
            (datetime!(2025-03-01 18:00 UTC), 2), // 23:00 in Kazakhstan
            (datetime!(2025-03-01 19:00 UTC), 3), // 00:00 the next day
            (datetime!(2025-03-05 10:00 UTC), 4),
        ];
        let (points, hourly_bars) = signing_points(Lang::En, &hourly);
        assert!(!hourly_bars);
        let values: Vec<i64> = points.iter().map(|p| p.value).collect();
        assert_eq!(values, vec![2, 3, 4]);
        assert_eq!(points[1].label, "2 March 2025");
    }
}
