ALTER TABLE `comments` ADD `import_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `comments_import_key` ON `comments` (`import_key`);