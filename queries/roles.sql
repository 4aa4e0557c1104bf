-- Question: which roles are there, with their labels?
-- Grain: one row per role code, in display order.
-- Parameters: none.
-- Columns: code, label_en, label_ru, sort_order.
select code, label_en, label_ru, sort_order
from roles
order by sort_order
