-- Reference data from public announcements (see docs/reference-data.md for sources).
-- Item numbers 1C902 (samarium) and 1C903 (gadolinium) and 1C117.d (tungsten) are as published;
-- the other item numbers are illustrative placeholders until the official list is loaded.

insert into control_item (code, name, elements, tariff_codes, announcement, effective_from) values
 ('1C902', 'Samarium and samarium compounds, alloys, targets, magnets', 'Sm', '2805301910,2846901940,2846901993',
  'MOFCOM/GAC Announcement No. 18 [2025]', '2025-04-04'),
 ('1C903', 'Gadolinium and gadolinium compounds, alloys, targets', 'Gd', '2805301910,2846901993',
  'MOFCOM/GAC Announcement No. 18 [2025]', '2025-04-04'),
 ('1C904', 'Terbium and terbium compounds, alloys, targets, magnets', 'Tb', '2805301300,2846901993',
  'MOFCOM/GAC Announcement No. 18 [2025]', '2025-04-04'),
 ('1C905', 'Dysprosium and dysprosium compounds, alloys, targets, magnets', 'Dy', '2805301200,2846901993',
  'MOFCOM/GAC Announcement No. 18 [2025]', '2025-04-04'),
 ('1C906', 'Lutetium and lutetium compounds, alloys, targets', 'Lu', '2805301910,2846901993',
  'MOFCOM/GAC Announcement No. 18 [2025]', '2025-04-04'),
 ('1C907', 'Scandium and scandium compounds, alloys, targets', 'Sc', '2805301800,2846901993',
  'MOFCOM/GAC Announcement No. 18 [2025]', '2025-04-04'),
 ('1C908', 'Yttrium and yttrium compounds, alloys, targets', 'Y', '2805301700,2846901993',
  'MOFCOM/GAC Announcement No. 18 [2025]', '2025-04-04'),
 ('1C117.d', 'Tungsten: ammonium paratungstate, tungsten oxides and related items', 'W',
  '2841801000,2825901200,2825901910,2825901920', 'MOFCOM/GAC Announcement No. 10 [2025]', '2025-02-04'),
 ('1C010.TE', 'Tellurium and related items', 'Te', '', 'MOFCOM/GAC Announcement No. 10 [2025]', '2025-02-04'),
 ('1C010.BI', 'Bismuth and related items', 'Bi', '', 'MOFCOM/GAC Announcement No. 10 [2025]', '2025-02-04'),
 ('1C010.MO', 'Molybdenum and related items', 'Mo', '', 'MOFCOM/GAC Announcement No. 10 [2025]', '2025-02-04'),
 ('1C010.IN', 'Indium and related items', 'In', '', 'MOFCOM/GAC Announcement No. 10 [2025]', '2025-02-04'),
 ('1C001.GA', 'Gallium and gallium compounds', 'Ga', '', 'MOFCOM/GAC announcement on gallium and germanium (2023)', '2023-08-01'),
 ('1C001.GE', 'Germanium and germanium compounds', 'Ge', '', 'MOFCOM/GAC announcement on gallium and germanium (2023)', '2023-08-01');

-- Announcements No. 55-58, 61, 62 [2025] (holmium, erbium, thulium, europium, ytterbium) took effect
-- on 2025-10-09 and were suspended by No. 70 until 2026-11-10: controlled only inside those dates.
insert into control_item (code, name, elements, tariff_codes, announcement, effective_from, effective_until) values
 ('1C909', 'Holmium, erbium, thulium, europium, ytterbium and their compounds', 'Ho,Er,Tm,Eu,Yb', '2846901993',
  'MOFCOM/GAC Announcements No. 55-58, 61, 62 [2025] (suspended by No. 70)', '2025-10-09', '2025-11-09');

-- Fixed-date national holidays (the State Council publishes the full calendar each year;
-- national commerce adds the rest with AddHoliday).
insert into holiday (day, name) values
 ('2026-01-01', 'New Year''s Day'), ('2026-05-01', 'Labour Day'), ('2026-10-01', 'National Day'),
 ('2026-10-02', 'National Day'), ('2026-10-03', 'National Day'),
 ('2027-01-01', 'New Year''s Day'), ('2027-05-01', 'Labour Day'), ('2027-10-01', 'National Day'),
 ('2027-10-02', 'National Day'), ('2027-10-03', 'National Day');
