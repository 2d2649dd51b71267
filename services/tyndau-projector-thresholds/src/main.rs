// mimalloc instead of glibc's malloc: the profile of the signing path showed glibc's
// `_int_malloc`/`_int_free`/`malloc_consolidate` at about a tenth of the service's CPU
// (proto-docs/decisions/0013).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tyndau_projection::main(
        tyndau_projector_thresholds::Thresholds,
        "tyndau-projector-thresholds",
        ([127, 0, 0, 1], 8084).into(),
    )
    .await
}
