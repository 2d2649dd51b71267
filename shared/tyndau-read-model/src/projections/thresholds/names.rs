//! The public list of signers who chose to show their name. Names are opened with the
//! signature's subject key; a deleted key (erasure, retention) means no name, now and on every
//! rebuild. Withdrawn and invalidated signatures leave the list.

use sqlx::PgConnection;
use tyndau_auth::seal::SubjectKey;
use tyndau_events::sealed::SealedText;
use tyndau_events::signature::SignatureRecorded;
use tyndau_ids::{SignatureId, SignerKey};
use uuid::Uuid;

/// What one batch does to the list; written after the batch's other changes, removals last, so
/// an erasure in the same batch as a signature wins.
#[derive(Default)]
pub(super) struct Names {
    shown: Vec<(SignatureId, SealedText, time::OffsetDateTime)>,
    gone: Vec<(Uuid, String)>,
    erased: Vec<String>,
    expired: Vec<Uuid>,
}

impl Names {
    pub(super) fn shown(&mut self, recorded: &SignatureRecorded) {
        if let Some(sealed) = &recorded.display_name {
            self.shown.push((
                SignatureId::new(recorded.petition_id, recorded.signer),
                sealed.clone(),
                recorded.signed_at,
            ));
        }
    }

    pub(super) fn gone(&mut self, id: SignatureId) {
        self.gone.push((*id.petition.as_uuid(), id.signer.to_hex()));
    }

    pub(super) fn erase_citizen(&mut self, citizen: SignerKey) {
        self.erased.push(citizen.to_hex());
    }

    pub(super) fn expire_petition(&mut self, petition: &str) {
        self.expired.extend(petition.parse::<Uuid>().ok());
    }

    pub(super) async fn write(self, tx: &mut PgConnection) -> Result<(), sqlx::Error> {
        if !self.shown.is_empty() {
            let subjects: Vec<(Uuid, String)> = self
                .shown
                .iter()
                .map(|(id, _, _)| (*id.petition.as_uuid(), id.signer.to_hex()))
                .collect();
            let keys = tyndau_db::subject_keys::keys_of(&mut *tx, &subjects).await?;
            let (mut petitions, mut signers, mut names, mut times) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for ((id, sealed, signed_at), subject) in self.shown.into_iter().zip(subjects) {
                // Sealed under the signature's own id (see the command API), so a name cannot
                // be moved to another signature.
                let opened = keys
                    .get(&subject)
                    .and_then(|key| SubjectKey::from_bytes(key).ok())
                    .and_then(|key| key.open(&id.to_string(), &sealed));
                if let Some(name) = opened {
                    let (petition, signer) = subject;
                    petitions.push(petition);
                    signers.push(signer);
                    names.push(name);
                    times.push(signed_at);
                }
            }
            sqlx::query(
                "INSERT INTO signature_names (petition_id, signer, display_name, signed_at)
                 SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
                 ON CONFLICT (petition_id, signer) DO NOTHING",
            )
            .bind(&petitions)
            .bind(&signers)
            .bind(&names)
            .bind(&times)
            .execute(&mut *tx)
            .await?;
        }
        if !self.gone.is_empty() {
            let (petitions, signers): (Vec<Uuid>, Vec<String>) = self.gone.into_iter().unzip();
            sqlx::query(
                "DELETE FROM signature_names n USING UNNEST($1::uuid[], $2::text[]) AS g(p, s)
                  WHERE n.petition_id = g.p AND n.signer = g.s",
            )
            .bind(&petitions)
            .bind(&signers)
            .execute(&mut *tx)
            .await?;
        }
        if !self.erased.is_empty() {
            sqlx::query("DELETE FROM signature_names WHERE signer = ANY($1)")
                .bind(&self.erased)
                .execute(&mut *tx)
                .await?;
        }
        if !self.expired.is_empty() {
            sqlx::query("DELETE FROM signature_names WHERE petition_id = ANY($1)")
                .bind(&self.expired)
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }
}
