//! `show chart|values|readme|crds|all` equals what the real `helm show` prints, for every
//! corpus chart.

use std::process::Command;

use chart_core::show::{ShowWhat, show};

use super::support::{check_floor, helm, shared_dir};

#[test]
fn show_matches_helm() {
    let helm = helm();
    let charts_dir = shared_dir().join("corpus/charts");
    let mut charts: Vec<_> = std::fs::read_dir(&charts_dir)
        .expect("corpus charts")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    charts.sort();
    let modes = [
        ("chart", ShowWhat::Chart),
        ("values", ShowWhat::Values),
        ("readme", ShowWhat::Readme),
        ("crds", ShowWhat::Crds),
        ("all", ShowWhat::All),
    ];
    let mut total = 0;
    let mut failures = Vec::new();
    for dir in &charts {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let chart = match chart_core::load(dir) {
            Ok(c) => c,
            Err(e) => {
                total += modes.len();
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        for (arg, what) in modes {
            total += 1;
            let out = Command::new(helm).args(["show", arg]).arg(dir).output().expect("helm");
            let ours = show(&chart, what);
            if out.stdout != ours {
                // Subchart order is random in helm; CRDs of several subcharts may come out in a
                // different order, so compare those as sorted documents before failing.
                let sorted = |b: &[u8]| {
                    let mut d: Vec<String> =
                        String::from_utf8_lossy(b).split("\n---").map(str::to_owned).collect();
                    d.sort();
                    d
                };
                if !(matches!(what, ShowWhat::Crds | ShowWhat::All)
                    && sorted(&out.stdout) == sorted(&ours))
                {
                    failures.push(format!("{name} show {arg}"));
                }
            }
        }
    }
    check_floor("show", total, &failures);
}
