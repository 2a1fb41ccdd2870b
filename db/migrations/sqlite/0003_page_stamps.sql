CREATE TABLE `page_stamps` (
	`scope` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
