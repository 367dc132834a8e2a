-- The links "Dit kunt u ook online regelen" that V1 seeded had a Dutch title only, so the English
-- widget showed them in Dutch. Give each its English title, but only where the link is still as
-- seeded (same title and address) and no English title was set since: an administrator's own
-- wording is never overwritten.
with seeded (url, title, title_en) as (values
    ('https://www.gemeente.example/afspraak', 'Maak online een afspraak voor uw paspoort of ID-kaart',
     'Make an appointment online for your passport or ID card'),
    ('https://www.gemeente.example/rijbewijs', 'Vraag uw rijbewijs online aan', 'Apply for your driving licence online'),
    ('https://www.gemeente.example/verhuizen', 'Verhuizing doorgeven kan online', 'Report your move online'),
    ('https://www.gemeente.example/grofvuil', 'Grofvuil ophalen aanvragen', 'Request a bulky waste collection'),
    ('https://www.gemeente.example/belastingen', 'Bekijk uw aanslag in Mijn Gemeente',
     'View your tax assessment in Mijn Gemeente'))
update topic t
set digital_alternatives = (
    select jsonb_agg(case when s.title_en is not null then link || jsonb_build_object('titleEn', s.title_en) else link end
                     order by position)
    from jsonb_array_elements(t.digital_alternatives) with ordinality as a(link, position)
    left join seeded s on s.url = a.link ->> 'url' and s.title = a.link ->> 'title'
                      and coalesce(btrim(a.link ->> 'titleEn'), '') = '')
-- (a value that is no array is left as it is: the case keeps jsonb_array_elements from it)
where case when jsonb_typeof(t.digital_alternatives) = 'array'
           then exists (select 1
                        from jsonb_array_elements(t.digital_alternatives) a(link)
                        join seeded s on s.url = a.link ->> 'url' and s.title = a.link ->> 'title'
                        where coalesce(btrim(a.link ->> 'titleEn'), '') = '')
           else false end;
