-- Question: how do the imported records merge into persons, and how many participants lack a
-- country or a role? The Data page's quality figures; they add up, and the participants and
-- the unknowns are the overview's (docs/metrics.md: rehearsals left out).
-- Grain: one row.
-- Parameters: none.
-- Columns: records (rows of every import, after identity), persons (distinct persons in the
--   imported rows), attended (of them, participants: an audience interval anywhere),
--   registered_only (registered, never attended), staff_only (only staff rows), participants
--   (the programme's participants, imported or live), unknown_country, unknown_role
--   (participants whose country / role is unknown).
with imported as (
    select person_id, bool_or(not is_staff) as audience from attendance where import_id is not null group by person_id
    union all
    select person_id, false from registrations where import_id is not null
),
imported_persons as (
    select person_id, bool_or(audience) as audience from imported group by person_id
),
attended as (
    select person_id, country, role from person_facts where n_attended > 0 and not is_rehearsal
),
classified as (
    select i.person_id, a.person_id is not null as is_participant,
        exists (select 1 from registrations r where r.person_id = i.person_id) as is_registered
    from imported_persons i left join attended a using (person_id)
)
select
    (select coalesce(sum(records), 0) from imports) as records,
    (select count(*) from classified) as persons,
    (select count(*) from classified where is_participant) as attended,
    (select count(*) from classified where not is_participant and is_registered) as registered_only,
    (select count(*) from classified where not is_participant and not is_registered) as staff_only,
    (select count(*) from attended) as participants,
    (select count(*) from attended where country = 'unknown') as unknown_country,
    (select count(*) from attended where role = 'unknown') as unknown_role
