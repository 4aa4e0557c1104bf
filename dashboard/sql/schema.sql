-- The canonical tables. Times are UTC (TIMESTAMP without zone, read as UTC);
-- the programme's display time zone lives in `programme`.

create table if not exists programme (
    key   varchar primary key,   -- 'title', 'timezone'
    value varchar not null
);

create table if not exists countries (
    iso2       varchar primary key,
    iso3       varchar not null,
    name_en    varchar not null,
    name_ru    varchar not null,
    cis_status varchar,           -- 'member', 'associate', 'former' or null
    stage      integer            -- programme stage 1 or 2; null outside the programme
);

create table if not exists roles (
    code       varchar primary key,
    label_en   varchar not null,
    label_ru   varchar not null,
    sort_order integer not null
);

create table if not exists events (
    event_id          integer primary key,
    event_key         varchar not null unique,
    series            varchar,
    title             varchar not null,
    topic             varchar,
    starts_at         timestamp not null,   -- UTC
    planned_minutes   integer,
    host              varchar,
    platform          varchar,
    platform_event_id varchar
);

create table if not exists participants (
    person_id     integer primary key,
    identity_key  varchar not null unique,  -- 'email:…', 'name:…' or 'checkin:…', see docs/metrics.md
    display_name  varchar,
    email         varchar,
    organisation  varchar,
    country       varchar,                  -- derived: ISO alpha-2 or null (= unknown)
    role          varchar not null default 'unknown'  -- derived role code
);

-- One row per (person, webinar) a file registered: two imports that both register a person
-- keep a row each, so removing one import leaves the other's registration in place.
create table if not exists registrations (
    person_id     integer not null,
    event_id      integer not null,
    registered_at timestamp,   -- UTC
    source        varchar,
    country       varchar,     -- declared at registration, ISO alpha-2
    role          varchar      -- stated at registration, role code
);

-- One row per reported interval [joined_at, left_at); a rejoin is another row.
create table if not exists attendance (
    person_id  integer not null,
    event_id   integer not null,
    joined_at  timestamp not null,   -- UTC
    left_at    timestamp not null,   -- UTC, >= joined_at
    is_staff   boolean not null default false,
    staff_role varchar,              -- 'host', 'co-host', 'panelist' on staff rows
    country    varchar,              -- reported by the platform, ISO alpha-2
    role       varchar,              -- stated in this row (check-in, form), role code
    source     varchar
);

-- Imports (docs/imports.md). Raw texts are kept beside the codes, so that a mapping saved
-- later by an analyst applies to the data already imported.
alter table registrations add column if not exists country_raw varchar;
alter table registrations add column if not exists role_raw varchar;
alter table registrations add column if not exists import_id integer;
alter table attendance add column if not exists country_raw varchar;
alter table attendance add column if not exists role_raw varchar;
alter table attendance add column if not exists import_id integer;

create table if not exists imports (
    import_id      integer primary key,
    file_name      varchar not null,
    content_sha256 varchar not null,
    format         varchar not null,
    encoding       varchar not null,
    time_zone      varchar not null,
    rows_read      integer not null,
    records        integer not null,
    persons        integer not null,   -- distinct persons in the file
    new_persons    integer not null,
    events         integer not null,
    skipped_rows   integer not null,
    imported_at    timestamp not null, -- UTC
    seconds        double not null
);

-- What the platform itself said about a webinar (shown beside our figures, never instead).
create table if not exists platform_figures (
    event_id  integer not null,
    import_id integer not null,
    figure    varchar not null,   -- 'registered', 'unique_viewers', 'max_concurrent', 'total_users'
    value     bigint not null
);

-- Mappings saved by analysts in the data-quality panel (keys as normalise.key).
create table if not exists country_aliases (
    alias_key varchar primary key,
    alias     varchar not null,
    iso2      varchar not null
);

create table if not exists role_aliases (
    value_key varchar primary key,
    value     varchar not null,
    role      varchar not null
);

-- Column mappings saved from the Data page, per header signature of a sheet.
create table if not exists column_mappings (
    signature varchar primary key,
    mapping   varchar not null   -- JSON: {"columns": {field: header}, "event_title": …}
);

-- Live events accepted by the ingest API (docs/api.md); an id is stored once, so sending the
-- same event again changes nothing.
create table if not exists live_events (
    id          varchar primary key,
    event_id    integer not null,
    person_id   integer not null,
    type        varchar not null,   -- 'join' or 'leave'
    occurred_at timestamp not null, -- UTC, whole seconds
    country     varchar,            -- ISO alpha-2 as normalised, or null
    country_raw varchar,
    role        varchar,            -- role code as normalised, or null
    role_raw    varchar,
    received_at timestamp not null
);

-- Persons whose derived facts are behind: live events are committed here too, and the
-- background rebuild (dashboard/facts_update.py) brings exactly these persons up to date.
create table if not exists facts_pending (
    person_id integer not null
);

-- Rehearsals (docs/metrics.md): live events sent by `reach live simulate` are marked, their
-- persons are rehearsal persons (identity 'rehearsal:…', never a real person), and a webinar a
-- rehearsal created is a rehearsal webinar until real data arrives for it. Figures leave all
-- of them out unless asked to include rehearsals.
alter table live_events add column if not exists is_rehearsal boolean default false;
alter table participants add column if not exists is_rehearsal boolean default false;
alter table events add column if not exists is_rehearsal boolean default false;
-- Where a webinar came from, so that removing what created it can remove it too:
-- 'import' (import_id), 'live' (a live event), 'live-view' (started by a presenter),
-- 'rehearsal', 'demo', 'planned'.
alter table events add column if not exists origin varchar;
alter table events add column if not exists import_id integer;
alter table events add column if not exists created_at timestamp;   -- UTC, when this database got it

-- Team use (dashboard/accounts.py): accounts with a role, API tokens and sign-in sessions (only
-- digests of tokens and session ids are kept), and the audit log — never a password, a token or
-- a participant's name or e-mail.
create table if not exists accounts (
    login               varchar primary key,
    role                varchar not null,   -- viewer, analyst, presenter, admin
    password_hash       varchar not null,   -- Argon2
    created_at          timestamp not null, -- UTC
    password_changed_at timestamp not null
);

-- The e-mail an identity provider vouches for (single sign-on, dashboard/sso.py); optional.
alter table accounts add column if not exists email varchar;

create table if not exists api_tokens (
    token_hash varchar primary key,   -- SHA-256 of the token
    login      varchar not null,
    created_at timestamp not null
);

create table if not exists sessions (
    session_hash varchar primary key,  -- SHA-256 of the session id in the cookie
    login        varchar not null,
    created_at   timestamp not null,
    last_seen_at timestamp not null
);

create table if not exists audit_log (
    happened_at timestamp not null, -- UTC
    actor       varchar,            -- login; null for the single user of a server without accounts
    action      varchar not null,   -- sign-in, sign-in-failed, sign-out, import, remove-import, mapping, …
    detail      varchar,
    address     varchar
);
