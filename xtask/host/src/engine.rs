//! The wasmtime engine (pooling allocator, epoch interruption, compile cache, perf map)
//! and the linker holding what the host provides: WASI, wasi:http, spin:key-value,
//! spin:sqlite, spin:variables.

use anyhow::{Context, Result};
use wasmtime::component::Linker;
use wasmtime::{Config as EngineConfig, Engine, PoolingAllocationConfig};

use crate::{Config, Ctx, bindings, host_impl};

pub(crate) fn engine(config: &Config) -> Result<Engine> {
    let mut cfg = EngineConfig::new();
    if config.perf_map {
        cfg.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    if let Some(dir) = &config.compile_cache {
        let mut cache = wasmtime::CacheConfig::new();
        cache.with_directory(dir);
        cfg.cache(Some(wasmtime::Cache::new(cache)?));
    }
    cfg.wasm_component_model_async(true);
    cfg.epoch_interruption(true);
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(1000)
        .total_core_instances(4000)
        .total_memories(512)
        .total_tables(2000)
        .total_stacks(512)
        .max_memory_size(256 << 20);
    cfg.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
    Ok(Engine::new(&cfg)?)
}

/// The linker every component is pre-instantiated with: WASI 0.2 and 0.3, `wasi:http`
/// 0.3, `spin:key-value`, `spin:sqlite` and `spin:variables`.
pub(crate) fn linker(engine: &Engine) -> Result<Linker<Ctx>> {
    let mut linker: Linker<Ctx> = Linker::new(engine);
    wt(
        wasmtime_wasi::p2::add_to_linker_async(&mut linker),
        "linking WASI 0.2",
    )?;
    wt(
        wasmtime_wasi::p3::add_to_linker(&mut linker),
        "linking WASI 0.3",
    )?;
    wt(
        wasmtime_wasi_http::p3::add_to_linker(&mut linker),
        "linking wasi:http 0.3",
    )?;
    wt(
        bindings::spin::key_value::key_value::add_to_linker::<Ctx, host_impl::SpinHost>(
            &mut linker,
            |c| c,
        ),
        "linking spin:key-value",
    )?;
    wt(
        bindings::spin::sqlite::sqlite::add_to_linker::<Ctx, host_impl::SpinHost>(
            &mut linker,
            |c| c,
        ),
        "linking spin:sqlite",
    )?;
    wt(
        bindings::spin::variables::variables::add_to_linker::<Ctx, host_impl::SpinHost>(
            &mut linker,
            |c| c,
        ),
        "linking spin:variables",
    )?;
    Ok(linker)
}

/// A wasmtime error as an anyhow error with context.
pub(crate) fn wt<T>(r: wasmtime::Result<T>, what: &str) -> Result<T> {
    r.map_err(anyhow::Error::from).context(what.to_owned())
}
