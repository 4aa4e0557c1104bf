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
    identity_key  varchar not null unique,  -- 'email:…' or 'name:…', see docs/metrics.md
    display_name  varchar,
    email         varchar,
    organisation  varchar,
    country       varchar,                  -- derived: ISO alpha-2 or null (= unknown)
    role          varchar not null default 'unknown'  -- derived role code
);

create table if not exists registrations (
    person_id     integer not null,
    event_id      integer not null,
    registered_at timestamp,   -- UTC
    source        varchar,
    country       varchar,     -- declared at registration, ISO alpha-2
    role          varchar,     -- stated at registration, role code
    primary key (person_id, event_id)
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
