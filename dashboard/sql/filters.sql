-- Filters shared by every question in queries/. Query files pass their bound parameters
-- ($countries, $roles, …) to these macros in this order; each null means "all":
--   f_countries   varchar[]  ISO alpha-2 codes, 'unknown' for persons of unknown country
--   f_roles       varchar[]  role codes
--   f_events      varchar[]  event keys
--   f_series      varchar[]  series names
--   f_date_from   date       first event date (programme time zone), inclusive
--   f_date_to     date       last event date (programme time zone), inclusive
--   f_stages      integer[]  programme stages of the person's country
--   f_min_minutes double     an attendance shorter than this does not count as attended
--   f_rehearsals  boolean    include rehearsal persons and webinars (docs/metrics.md); false = leave them out

-- The calendar date of a UTC timestamp in the programme's display time zone.
create or replace macro programme_date(ts) as
    cast(timezone((select value from programme where key = 'timezone'), ts::timestamptz) as date);

create or replace macro event_selected(event_key_, series_, event_date_, is_rehearsal_, f_events, f_series, f_date_from, f_date_to, f_rehearsals) as (
    (f_rehearsals or not is_rehearsal_)
    and (f_events is null or list_contains(f_events, event_key_))
    and (f_series is null or list_contains(f_series, series_))
    and (f_date_from is null or event_date_ >= f_date_from)
    and (f_date_to is null or event_date_ <= f_date_to)
);

-- Where a webinar's figures come from (docs/metrics.md, "Source"), one bit per source so that
-- a pair's sources, and a cell's, are a bit_or of its intervals': the file an attendance row was
-- imported from (by the import's format; a row stored without an import, such as the demo's,
-- by its own source), or a live join, a check-in's apart. derive.sql writes them,
-- queries/webinar_sources.sql reads them back as names, in this order.
create or replace macro attendance_source_bit(format_) as (
    case
        when format_ like 'zoom%' then 1
        when format_ = 'webex' then 2
        when format_ = 'mts-link' then 4
        when format_ = 'bbb' then 8
        when format_ = 'sheet' then 16
        when format_ = 'mts-link-api' then 64
        else 32   -- another file
    end
);

create or replace macro live_source_bit(is_checkin_) as (case when is_checkin_ then 256 else 128 end);

-- The names of the sources of a webinar from its bits; with none, 'registrations' (registrations
-- but no attendance) or 'planned' (nothing yet).
create or replace macro source_names(bits_, has_registrations_) as (
    coalesce(nullif(list_filter([
        case when bits_ & 1 <> 0 then 'zoom' end,
        case when bits_ & 2 <> 0 then 'webex' end,
        case when bits_ & 4 <> 0 then 'mts-link' end,
        case when bits_ & 8 <> 0 then 'bbb' end,
        case when bits_ & 16 <> 0 then 'sheet' end,
        case when bits_ & 32 <> 0 then 'file' end,
        case when bits_ & 64 <> 0 then 'mts-link-api' end,
        case when bits_ & 128 <> 0 then 'live' end,
        case when bits_ & 256 <> 0 then 'checkin' end
    ], lambda name_: name_ is not null), []),
    [case when has_registrations_ then 'registrations' else 'planned' end])
);

create or replace macro person_selected(country_, role_, stage_, is_rehearsal_, f_countries, f_roles, f_stages, f_rehearsals) as (
    (f_rehearsals or not is_rehearsal_)
    and (f_countries is null or list_contains(f_countries, country_))
    and (f_roles is null or list_contains(f_roles, role_))
    and (f_stages is null or list_contains(f_stages, stage_))
);
