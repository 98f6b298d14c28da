-- Countries get global IDs like every other type: "BE" becomes "cty_BE".
-- New rows first, then every reference, then the old rows, so that no
-- foreign key is ever broken.
INSERT INTO `countries` (`id`, `name`, `eu`, `eea`) SELECT 'cty_' || `id`, `name`, `eu`, `eea` FROM `countries` WHERE length(`id`) = 2;
UPDATE `adequacy_decisions` SET `country_id` = 'cty_' || `country_id` WHERE length(`country_id`) = 2;
UPDATE `contracts` SET `clause17_law_country_id` = 'cty_' || `clause17_law_country_id` WHERE length(`clause17_law_country_id`) = 2;
UPDATE `contracts` SET `clause18_forum_country_id` = 'cty_' || `clause18_forum_country_id` WHERE length(`clause18_forum_country_id`) = 2;
UPDATE `organizations` SET `country_id` = 'cty_' || `country_id` WHERE length(`country_id`) = 2;
UPDATE `transfers` SET `country_id` = 'cty_' || `country_id` WHERE length(`country_id`) = 2;
UPDATE `users` SET `country_id` = 'cty_' || `country_id` WHERE length(`country_id`) = 2;
UPDATE `vendors` SET `country_id` = 'cty_' || `country_id` WHERE length(`country_id`) = 2;
DELETE FROM `countries` WHERE length(`id`) = 2;
