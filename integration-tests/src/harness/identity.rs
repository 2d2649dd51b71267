//! Who the benchmark clients are: distinct synthetic citizens with valid IINs, and their tokens
//! from the run's dev issuer.

use std::time::Duration;

use anyhow::{Context, anyhow};
use tyndau_auth::dev::{DevClaims, DevSigner};
use tyndau_ids::{Iin, Region, Sex, synthesize_iin};

pub const ISSUER: &str = "https://idp.bench.tyndau.local";
pub const AUDIENCE: &str = "tyndau-bench";
/// Long enough for a slow run plus the preparation; the tokens die with the bench keys anyway.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// `count` distinct adult citizens (born 1950–2004) with valid IINs, regions spread evenly.
pub fn citizens(count: usize) -> anyhow::Result<Vec<(Iin, Region)>> {
    const DAYS: u64 = 20_000;
    let first = time::macros::date!(1950 - 01 - 01);
    let mut out = Vec::with_capacity(count);
    let mut n: u64 = 0;
    while out.len() < count {
        let rest = n / DAYS;
        let serial = u16::try_from(rest / 2 + 1)
            .ok()
            .filter(|s| *s < 10_000)
            .context("ran out of synthetic IINs")?;
        let day = i64::try_from(n % DAYS).context("day offset")?;
        let born = first
            .checked_add(time::Duration::days(day))
            .context("birth date out of range")?;
        let sex = if rest.is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        };
        if let Some(iin) = synthesize_iin(born, sex, serial) {
            let region = Region::ALL[out.len() % Region::ALL.len()];
            out.push((iin, region));
        }
        n += 1;
    }
    Ok(out)
}

/// Mints one token for `claims` (any role), valid for [`TOKEN_LIFETIME`].
pub fn mint(signer: &DevSigner, mut claims: DevClaims) -> anyhow::Result<String> {
    claims.lifetime = TOKEN_LIFETIME;
    signer.mint(&claims).context("cannot mint a token")
}

/// Mints one citizen token per identity, on every core.
pub fn mint_citizen_tokens(
    signer: &DevSigner,
    people: &[(Iin, Region)],
    first_subject: usize,
) -> anyhow::Result<Vec<String>> {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let chunk = people.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = people
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, (iin, region))| {
                            let mut claims = DevClaims::citizen(
                                ISSUER,
                                AUDIENCE,
                                format!("bench-citizen-{}", first_subject + c * chunk + i),
                                iin.clone(),
                                *region,
                            );
                            claims.lifetime = TOKEN_LIFETIME;
                            signer.mint(&claims).context("cannot mint a token")
                        })
                        .collect::<anyhow::Result<Vec<_>>>()
                })
            })
            .collect();
        let mut tokens = Vec::with_capacity(people.len());
        for handle in handles {
            let part = handle
                .join()
                .map_err(|_| anyhow!("a token-minting thread panicked"))??;
            tokens.extend(part);
        }
        Ok(tokens)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizens_are_distinct() {
        let people = citizens(5_000).ok().unwrap_or_default();
        let mut digits: Vec<String> = people.iter().map(|(iin, _)| iin.expose_digits()).collect();
        digits.sort();
        digits.dedup();
        assert_eq!(digits.len(), 5_000);
    }
}
