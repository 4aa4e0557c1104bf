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

create or replace macro person_selected(country_, role_, stage_, is_rehearsal_, f_countries, f_roles, f_stages, f_rehearsals) as (
    (f_rehearsals or not is_rehearsal_)
    and (f_countries is null or list_contains(f_countries, country_))
    and (f_roles is null or list_contains(f_roles, role_))
    and (f_stages is null or list_contains(f_stages, stage_))
);
