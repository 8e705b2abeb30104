//! Criterion benchmarks: one pre-check (parse + validate + decide + serialise), and the
//! allocation of a round of 100,000 applications and its JSON.
//!
//! Reproduce: `cargo bench -p mentougou-rules` (figures in docs/BENCHMARKS.md).

use criterion::{Criterion, criterion_group, criterion_main};
use rules::allocation::{AllocationRequest, ApprovedApplication};
use rules::{Money, Parameters};
use std::hint::black_box;

const EXAMPLE: &str = include_str!("../data/example-precheck-request.json");

fn precheck(c: &mut Criterion) {
    let params = Parameters::default();
    c.bench_function("precheck_json (parse, decide, serialise)", |b| {
        b.iter(|| {
            let d = rules::precheck_json(black_box(EXAMPLE), &params).unwrap();
            d.to_json()
        })
    });
    let req: rules::PrecheckRequest = serde_json::from_str(EXAMPLE).unwrap();
    c.bench_function("precheck (decide only)", |b| {
        b.iter(|| rules::precheck(black_box(&req), &params))
    });
    // Where the whole goes: the parse (with the depth check), the checks of each field,
    // and the answer's JSON.
    c.bench_function("precheck (read only)", |b| {
        b.iter(|| rules::reader::read::<rules::PrecheckRequest>(black_box(EXAMPLE)).unwrap())
    });
    // The serde parse the reader replaced, for comparison (it still reads stored JSON).
    c.bench_function("precheck (serde parse, before)", |b| {
        b.iter(|| rules::input::parse_json::<rules::PrecheckRequest>(black_box(EXAMPLE)).unwrap())
    });
    c.bench_function("precheck (validate only)", |b| {
        b.iter(|| rules::precheck::validate(black_box(&req)).unwrap())
    });
    let decision = rules::precheck(&req, &params);
    c.bench_function("precheck (serialise only)", |b| {
        b.iter(|| black_box(&decision).to_json())
    });
    // serde_json's writer, which `to_json` replaced, for comparison.
    c.bench_function("precheck (serde serialise, before)", |b| {
        b.iter(|| serde_json::to_string(black_box(&decision)).unwrap())
    });
}

fn allocation(c: &mut Criterion) {
    let params = Parameters::default();
    let base = chrono::DateTime::parse_from_rfc3339("2026-04-01T09:00:00+08:00").unwrap();
    // 100,000 applications from 60,000 enterprises, amounts spread up to 400,000 CNY.
    let applications: Vec<ApprovedApplication> = (0..100_000u64)
        .map(|i| ApprovedApplication {
            id: format!("2026-{i:06}"),
            enterprise: format!("F{}", (i * 7919) % 60_000),
            submitted_at: base + chrono::Duration::seconds((i * 104_729 % 2_592_000) as i64),
            ceiling_amount: Money::from_fen(((i * 2_654_435_761) % 40_000_000) as i128),
        })
        .collect();
    let req = AllocationRequest {
        year: 2026,
        budget: Money::yuan(500_000_000),
        applications,
        history: Default::default(),
    };
    let mut group = c.benchmark_group("allocation");
    group.sample_size(10);
    group.bench_function("allocate 100,000 applications", |b| {
        b.iter(|| rules::allocate(black_box(&req), &params).unwrap())
    });
    // What the calculation component stores and answers: the lines' texts are written here.
    let allocation = rules::allocate(&req, &params).unwrap();
    group.bench_function("serialise 100,000 lines (JSON)", |b| {
        b.iter(|| serde_json::to_string(black_box(&allocation)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, precheck, allocation);
criterion_main!(benches);
