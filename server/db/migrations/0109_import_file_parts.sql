-- An import's file in parts of at most 256 KB, written as the upload is read and read back part by part:
-- neither the web process that receives a file nor the worker that reads it holds the whole file (up to
-- 20 MB). An import with parts left has a file still to be read; its run deletes them.
create table import_file_parts (
  store_hash text not null,
  import_id bigint not null,
  part integer not null,
  bytes bytea not null,
  primary key (import_id, part),
  foreign key (store_hash, import_id) references imports (store_hash, id) on delete cascade
);
alter table import_file_parts alter column bytes set storage external;

-- A file stored whole before this migration becomes its import's one part.
insert into import_file_parts (store_hash, import_id, part, bytes)
select store_hash, id, 0, content from imports where content is not null;
alter table imports drop column content;
