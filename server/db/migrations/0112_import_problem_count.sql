-- How many problems refused an import's file. Its page keeps only the first 1,000 (and a line counting the
-- rest), so their number cannot say how many the file had; imports refused before this have none, and their
-- page counts the problems kept.
alter table imports add column problem_count integer;
