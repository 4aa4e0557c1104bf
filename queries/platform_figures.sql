-- Question: what did the platforms themselves say about each webinar?
-- Shown beside our figures (computed from rows), never instead of them.
-- Grain: one row per webinar with stated figures (the latest import's value per figure).
-- Parameters: none.
-- Columns: event_key, title, registered, unique_viewers, max_concurrent, total_users (persons
--   as stated by the platform; null when not stated).
with latest as (
    select event_id, figure, arg_max(value, import_id) as value
    from platform_figures
    group by event_id, figure
)
select e.event_key, e.title,
    max(value) filter (where figure = 'registered') as registered,
    max(value) filter (where figure = 'unique_viewers') as unique_viewers,
    max(value) filter (where figure = 'max_concurrent') as max_concurrent,
    max(value) filter (where figure = 'total_users') as total_users
from latest l
join events e using (event_id)
group by e.event_key, e.title, e.starts_at
order by e.starts_at
