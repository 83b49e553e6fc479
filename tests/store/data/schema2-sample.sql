PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_info (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO schema_info VALUES('schema_version','2');
CREATE TABLE ledger (
	seq INTEGER NOT NULL, 
	recorded_at VARCHAR(40) NOT NULL, 
	actor VARCHAR, 
	operation VARCHAR NOT NULL, 
	node_first INTEGER, 
	node_last INTEGER, 
	edge_first INTEGER, 
	edge_last INTEGER, 
	record_count INTEGER NOT NULL, 
	records_digest VARCHAR(64) NOT NULL, 
	prev_hash VARCHAR(64) NOT NULL, 
	entry_hash VARCHAR(64) NOT NULL, 
	PRIMARY KEY (seq)
);
INSERT INTO ledger VALUES(1,'2026-12-07T08:50:32.654765Z','root','ingest sample_data/lineage.yaml',1,43,1,55,98,'a22cf83dcd2330bcdc47155b8fe3850bab3c72e2a131af090431bffa90c3ff77','0000000000000000000000000000000000000000000000000000000000000000','6a43677a33de2aeea9e5d09208128a2f6f0acaf734e18c56bb1c76edd315cd53');
CREATE TABLE node (
	id INTEGER NOT NULL, 
	node_id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	name VARCHAR NOT NULL, 
	tx INTEGER NOT NULL, 
	reason VARCHAR, 
	effective VARCHAR(40), 
	description TEXT, 
	owner VARCHAR, 
	uri VARCHAR, 
	license VARCHAR, 
	restrictions VARCHAR, 
	obtained VARCHAR(16), 
	generated_by VARCHAR, 
	personal_data VARCHAR(8), 
	personal_data_categories VARCHAR, 
	legal_basis VARCHAR, 
	copyright VARCHAR, 
	opt_outs VARCHAR(16), 
	collected_start VARCHAR(10), 
	collected_end VARCHAR(10), 
	first_used VARCHAR(10), 
	modality VARCHAR, 
	data_types VARCHAR, 
	size_bytes INTEGER, 
	records INTEGER, 
	tokens INTEGER, 
	path VARCHAR, 
	digest VARCHAR(71), 
	intended_use VARCHAR(32), 
	agent_type VARCHAR(16), 
	software_version VARCHAR, 
	operation VARCHAR, 
	tool VARCHAR, 
	tool_version VARCHAR, 
	code_revision VARCHAR, 
	params TEXT, 
	started VARCHAR(40), 
	ended VARCHAR(40), 
	records_in INTEGER, 
	records_out INTEGER, 
	status VARCHAR(16), 
	decision VARCHAR(16), 
	tier VARCHAR(32), 
	scope VARCHAR, 
	conditions TEXT, 
	expires VARCHAR(10), 
	attrs TEXT, 
	seal VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO node VALUES(1,1,1,'agent','northwind-labs',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'organization',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'421785271744617be9e7f779136fad7af84cfb01da5e3972d9099acb26dab03b');
INSERT INTO node VALUES(2,2,1,'agent','dana-okafor',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'person',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'317ad2d65e34347c975ca0d209a971248e14f23bc5c36f756aac1a4e687af153');
INSERT INTO node VALUES(3,3,1,'agent','priya-raman',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'person',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'1d48994b64f918b77032d402ad19f22cf67948fb9478b18de59db03bb0250ca0');
INSERT INTO node VALUES(4,4,1,'agent','samuel-achebe',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'person',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'04890f903b4164970a7f99cee931d96dda0bf46cde5cd3e34f1f6cc2b0798547');
INSERT INTO node VALUES(5,5,1,'agent','maria-lopez',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'person',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'a16469ef33479dcb4221839022c7700dcb93701e8da0beb5c32904ef233301c8');
INSERT INTO node VALUES(6,6,1,'agent','northwindbot',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'software','1.4.0',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'b5d2370d592ec8566b5c2cfd8087285e6a57034400a21b53776f1bfe942f03f5');
INSERT INTO node VALUES(7,7,1,'agent','nw-data-pipeline',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'software','2.3.1',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'f7ec14ad4b507383a4749a090293f7fabf0ee88e76bdc520aac07872769b32a6');
INSERT INTO node VALUES(8,8,1,'source','web-crawl-2025-05',1,NULL,NULL,'NorthwindBot crawl of 30 English, German, French, Spanish and Dutch consumer-tech support sites; robots.txt and AI opt-outs checked for 34 domains, opted-out domains skipped.','Northwind Labs','https://crawl.northwind.example/snapshots/2025-05','LicenseRef-website-terms',NULL,'crawled',NULL,'unknown',NULL,NULL,'third-party copyrighted web content, used under the EU TDM exception','honoured','2025-05-01','2025-05-31','2025-06-10','["text"]','["web pages","how-to articles","product support pages","news"]',212975,176,46536,'sample_data/web_crawl','sha256:ad2ffb325165f7ba0c487ee851916a1afc47f27aba92ef168809318ac6ddf53d',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'{"crawler":"NorthwindBot/1.4","crawler_agent":"northwindbot","domain_sizes":"web_crawl/domains.csv","logins":"none","paywalls":"skipped","purpose":"collect support how-to content for a customer-support assistant","robots_log":"web_crawl/robots_log.csv"}','8acc13a062a804bcd68e641e15fe8e8b2a3d34050876434902794b0b6ab50e22');
INSERT INTO node VALUES(9,9,1,'source','forum-scrape-gadgethelp-2025-04',1,NULL,NULL,'Public support threads scraped by a contractor (Quarry Data Services OU).','GadgetHelp community (post authors)','https://community.gadgethelp.example/','LicenseRef-gadgethelp-forum-terms',NULL,'crawled',NULL,'unknown','["user handles"]',NULL,'posts copyrighted by their authors','unknown','2025-04-07','2025-04-12','2025-06-10','["text"]','["forum threads"]',33598,36,3450,'sample_data/forum_scrape','sha256:03da965ed85524c358fd671e696779a3090953726d6180f757971a38eb4bbe94',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'{"delivery_note":"forum_scrape/SCRAPE_NOTES.txt","purchase_order":"NW-PO-2025-031","scraped_by":"Quarry Data Services OU","scraper":"forumgrab 0.9"}','aa2eb95ef29b9278a63259021b99c1f4bdf67cfba71c74ff247c562e2aa8b04a');
INSERT INTO node VALUES(10,10,1,'source','helpdesk-handbook-meridian',1,NULL,NULL,'Helpdesk Handbook 2025 and Field Service Manuals, licensed for commercial model training.','Meridian Technical Press Ltd.','https://www.meridian-press.example/licensing/helpdesk-handbook-2025','LicenseRef-meridian-dla-2025',NULL,'purchased',NULL,'no',NULL,NULL,'(c) Meridian Technical Press Ltd., licensed under contract MTP-2025-0142',NULL,'2025-03-20','2025-03-20','2025-06-10','["text"]','["support articles","technical manuals"]',52306,48,8265,'sample_data/licensed_corpus','sha256:7fe514885aeb7bc656f8d7cc7e175208c87016603c8ab3786e62e7659fe4998e',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'{"contract":"MTP-2025-0142","contract_summary":"licensed_corpus/LICENSE_SUMMARY.txt","term_end":"2028-03-13"}','ac3feb6d7098c452df44d696cc079b770573e0fe3938b8cc3b85e12290816f91');
INSERT INTO node VALUES(11,11,1,'source','product-reviews-openshelf',1,NULL,NULL,'OpenShelf Reviews Corpus v2, English subset, downloaded 2025-05-12.','Baltic Commerce NLP Lab','https://data.openshelf.example/reviews-v2','CC-BY-NC-4.0',NULL,'public',NULL,'no',NULL,NULL,'reviews copyrighted by their authors, compiled by the publisher',NULL,'2019-01-01','2023-12-31','2025-06-10','["text"]','["product reviews"]',34794,146,4196,'sample_data/public_datasets/product_reviews','sha256:30c516f37174c41bffe1b2ac3d735b4b510a40cc728f56ef3561a47f8e773c45',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'187d57537f434da878c3272d06090f975f29dda4cc332dc22350ee9e4b824420');
INSERT INTO node VALUES(12,12,1,'source','code-ticket-router',1,NULL,NULL,NULL,'Ada Brennan','https://git.example.org/abrennan/ticket-router','MIT',NULL,'public',NULL,'no',NULL,NULL,'(c) 2023 Ada Brennan',NULL,'2025-05-15','2025-05-15','2025-06-10','["code"]','["python source"]',2255,3,350,'sample_data/code/ticket-router','sha256:fea921c8cd7bb9b16f3ff4fd3e51cd643c8b75b20d4e36be99d5e63bfc18a519',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'e4eb4f54027b40823b64841eb014c0e5a8f6d3adc7c675ceed064fd101747340');
INSERT INTO node VALUES(13,13,1,'source','code-kb-search',1,NULL,NULL,NULL,'Harbor Point Software','https://git.example.org/harborpoint/kb-search','Apache-2.0',NULL,'public',NULL,'no',NULL,NULL,'(c) 2024 Harbor Point Software',NULL,'2025-05-15','2025-05-15','2025-06-10','["code"]','["javascript source"]',1786,2,530,'sample_data/code/kb-search','sha256:e4c955be1e6246f2ea701b2206792c8d85677c51b10c8c33acc010d21839f009',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'57352c637f24bdba68e2ad40f134218d2757fed5058af54dadbd2068794b9447');
INSERT INTO node VALUES(14,14,1,'source','code-reply-macros',1,NULL,NULL,NULL,'Lumen Freeware Collective','https://git.example.org/lumen/reply-macros','GPL-3.0-only',NULL,'public',NULL,'no',NULL,NULL,'(C) 2022 Lumen Freeware Collective',NULL,'2025-05-15','2025-05-15','2025-06-10','["code"]','["python source"]',2154,3,514,'sample_data/code/reply-macros','sha256:91e83742f1accf422a8e16c90e3d03549b9e569070b2328e75f7150e15597a36',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'f80c3461abc83d43248ea62af322ebc6c66d746d3b1ad1d5ef0c2c5099c80abc');
INSERT INTO node VALUES(15,15,1,'source','code-chat-widget-snippets',1,NULL,NULL,'Snippets copied from a tutorial blog post and a Q&A site; author unknown.',NULL,'https://git.example.org/misc/chat-widget-snippets',NULL,NULL,'public',NULL,'no',NULL,NULL,NULL,NULL,'2025-05-15','2025-05-15','2025-06-10','["code"]','["javascript source"]',1107,2,294,'sample_data/code/chat-widget-snippets','sha256:762f68608429f03ae05ab01eaf92207cd8a0b3c70cb86fe91e03874890296a74',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'1c10206160849de23ff6417f8caaac73a519883c8621a0108cf21099ef0123b2');
INSERT INTO node VALUES(16,16,1,'source','support-tickets-2025h1',1,NULL,NULL,'E-mail and web-form tickets from Northwind Home customers.','Northwind Labs','https://support.northwind.example/tickets','LicenseRef-northwind-proprietary',NULL,'user',NULL,'yes','["names","emails","phone numbers","postal addresses"]','GDPR Art. 6(1)(f) legitimate interests (service improvement), LIA-2025-03',NULL,NULL,'2025-01-02','2025-06-30','2025-06-10','["text"]','["support tickets"]',95082,84,9628,'sample_data/user_data/support_tickets.jsonl','sha256:2d067df0adc0c865a286952f07416a10b7d2fd1f6c1cea18c867ac4a1b2ea352',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'{"product_or_service":"Northwind Home customer support"}','055973b24b0d8de30acdc8aa027fce0ca751860dadeae2f5e4d68679d789551f');
INSERT INTO node VALUES(17,17,1,'source','chat-transcripts-2025',1,NULL,NULL,'Web-chat transcripts (bot and human agents); collection is ongoing.','Northwind Labs','https://support.northwind.example/chat','LicenseRef-northwind-proprietary',NULL,'user',NULL,'yes','["names","emails","phone numbers"]',NULL,NULL,NULL,'2025-03-01',NULL,'2025-06-10','["text"]','["chat transcripts"]',49847,60,6512,'sample_data/user_data/chat_transcripts.jsonl','sha256:f3f30ce75ae715e84e4e0da807f07f4e82700cd9bbf0f86a07b957e40695b98f',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'{"product_or_service":"Northwind Home web chat"}','97597b79a55372221129ad92bc64fb0633190d9d414b79372075d4313f5cb44c');
INSERT INTO node VALUES(18,18,1,'source','synthetic-instructions-orion',1,NULL,NULL,'Support requests and replies generated with Orion-70B-Chat (Arclight AI).','Northwind Labs','https://api.arclight.example/v1/chat/completions','LicenseRef-arclight-orion-terms','["no-competing-models"]','synthetic','orion-70b-chat','no',NULL,NULL,NULL,NULL,'2025-05-20','2025-05-22','2025-06-10','["text"]','["instruction-response pairs"]',70748,110,11000,'sample_data/synthetic/instructions.jsonl','sha256:a5e0bcacc6d2227b00a1a24d09a696f8f75976930f3ec5114989b4d626cd42c3',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'{"generation_notes":"synthetic/GENERATION.md","prompt_template":"support-synth-v3"}','9a817d49bf714457164763bb23433fce285b3ae2600974ecd189bd50f2d52988');
INSERT INTO node VALUES(19,19,1,'dataset','web-text-raw',1,NULL,NULL,'Main text of crawled HTML and plain-text pages; PDFs and short pages dropped.','Northwind Labs',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text"]',NULL,113835,151,16652,'sample_data/processed/web_text_raw.jsonl','sha256:d1cb4cb0834335211268fa8e82dc9cc4656175281ba1f53615b8314fcd6844db',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'c3e5af7720bf0c607aac8728b406e333c2899de645737583d563ce7ca20e063b');
INSERT INTO node VALUES(20,20,1,'dataset','web-text-en',1,NULL,NULL,'English pages and forum threads (stop-word language score at least 0.15).','Northwind Labs',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text"]',NULL,127579,171,18725,'sample_data/processed/web_text_en.jsonl','sha256:c5efbec0550f17d5822ad5c79c7420daf6254f4a9d123eb22c1deb8c9d6280a5',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'19644ebfd13161cf2195ccb3c16b9c7ddeefc76c30156711d5b63385a6fa9b2d');
INSERT INTO node VALUES(21,21,1,'dataset','user-data-scrubbed',1,NULL,NULL,'Tickets and chats with names, e-mails, phone numbers and addresses replaced by placeholders.','Northwind Labs',NULL,NULL,NULL,NULL,NULL,'no',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text"]',NULL,81710,144,16654,'sample_data/processed/user_data_scrubbed.jsonl','sha256:c9f0192307341b2653d7c6b559a14c473ec962e446e72b1bfb07bdd1a3b408f2',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'{"redactions":{"ADDRESS":84,"EMAIL":144,"NAME":288,"PHONE":120}}','1dce2789fcb5a65cbe559ce3afc6abedb8e9e44be50145ff97986f5e91878aa1');
INSERT INTO node VALUES(22,22,1,'dataset','ticket-qa-pairs',1,NULL,NULL,'First customer message and first agent reply of each resolved ticket.','Northwind Labs',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text"]',NULL,40814,71,7765,'sample_data/processed/ticket_qa.jsonl','sha256:955cb0be29b6bc0512441b0e71fe1cb0a22a3e1b24c97fb3d159002a8b1da64d',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'511a81a408e0fec4a3e073caee2bcaa8a661d3c8982756fb106ac7b688d99e56');
INSERT INTO node VALUES(23,23,1,'dataset','code-files',1,NULL,NULL,'One record per source file of the four code repositories, licence kept per file.','Northwind Labs',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["code"]',NULL,7648,10,1688,'sample_data/processed/code_files.jsonl','sha256:3a2869b34d8f51e4895f922ea13904df3263202f7c9c95254d11741efed75a92',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'87561d5b4a1e46a7cf35d95b49366d4ef1d062def7284b61adba5af76ab8f70f');
INSERT INTO node VALUES(24,24,1,'dataset','text-deduped',1,NULL,NULL,'Web text, licensed handbook and product reviews after exact deduplication.','Northwind Labs',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text"]',NULL,175208,349,30121,'sample_data/processed/text_dedup.jsonl','sha256:31b31ae06257a7c8ce8731552210eea80c83435e01da0dc473fe0fc6c191db56',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'150160d0dbc92f2b02c374cec711cae3a0f08a0d7637882f79520353807f306a');
INSERT INTO node VALUES(25,25,1,'dataset','support-heldout-v1',1,NULL,NULL,'20 support questions, each asked under 5 locales with names of both genders.','Northwind Labs',NULL,'LicenseRef-northwind-proprietary',NULL,NULL,NULL,'no',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text"]','["evaluation questions"]',34255,100,NULL,'sample_data/processed/heldout_v1.jsonl','sha256:582df80e7221dc4c279a293136231d49c511bb87636743bc8027811bd639996d',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'9ca58577dc1495e4034f2e0e6a7f6a090ff1a6a1a3edb661de7f20383fc15ab4');
INSERT INTO node VALUES(26,26,1,'dataset','training-mixture-v1',1,NULL,NULL,'Weighted sample of the prepared sets, shuffled.','Northwind Labs',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text","code"]',NULL,335328,621,62915,'sample_data/processed/mixture_v1.jsonl','sha256:94912cd47147a22a4bfcaa41a5c8a9ecd925e84de4be07307c69179f97403385',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2195e356a98c852b57081cd859178714684198855e2a3bd3a154f0bc52feabff');
INSERT INTO node VALUES(27,27,1,'dataset','mixture-v1-tokens',1,NULL,NULL,'uint16 token shard with BOS/EOS per sequence, and its index.','Northwind Labs',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["text","code"]',NULL,135588,621,64157,'sample_data/processed/tokens','sha256:4c4cb8ce8d126673727e887888cfc39648397eacd95006da4d307416bf429cdf',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'91259b81e6fe40b1250d03708f99aa5dc9d7f802bc941f26506a1b6ebd0f5f05');
INSERT INTO node VALUES(28,28,1,'dataset','eval-results-support-assistant-v1',1,NULL,NULL,'Accuracy, helpfulness and refusal rate, with a bias evaluation by locale and name gender.','Northwind Labs',NULL,'LicenseRef-northwind-proprietary',NULL,NULL,NULL,'no',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'["evaluation results","bias evaluation"]',21963,100,NULL,'sample_data/evals/support-assistant-v1.json','sha256:6f8b35f8edb209aab1983ea8d01ffe957202264a14e8df57b625f11500e5c08d',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'f8ac7e9ee17e938c76f1bb20f86a6d3b7a2c672a0dbcc66b9e26e7ccb406f20f');
INSERT INTO node VALUES(29,29,1,'model','orion-70b-chat',1,NULL,NULL,'Third-party chat model used through its API to generate synthetic data.','Arclight AI',NULL,'LicenseRef-arclight-orion-terms','["no-competing-models"]',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'30a77103e1a6cb12ff4b96fb74c7e7d3a95a3e000d039bc16e12ef17539228f1');
INSERT INTO node VALUES(30,30,1,'model','larkspur-1b-base',1,NULL,NULL,'Open base model that support-assistant-v1 is fine-tuned from.','Larkspur Collective','https://models.larkspur.example/larkspur-1b','Apache-2.0',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'e8ba92730975fb848e1766c51a3b5ce459a63c7a3d4ae0639a918421bdc94200');
INSERT INTO node VALUES(31,31,1,'model','support-assistant-v1',1,NULL,NULL,'Customer-support assistant for Northwind Home products.','Northwind Labs',NULL,'LicenseRef-northwind-proprietary',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,5589,NULL,NULL,'sample_data/models/support-assistant-v1','sha256:1566de097d6f889d3006fd75b88df7dcdc4c8d5b4369327e7b0dbd34e9c70a66','commercial',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'4c0397faacffe323e2afec4c9208558b6806414fcf018eddf969b90aff9076b7');
INSERT INTO node VALUES(32,32,1,'activity','extract-text-2025-06-02',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'extract-text','trafilatura','1.12.2','4f9c2e1','{"keep":["title","headings","paragraphs","list items"],"min_length":200}','2025-06-02T08:00:00Z','2025-06-02T08:41:00Z',176,151,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'e066c8153583ee0ddcc677a5635e7883ffd548bfda771ff072d36241913e8118');
INSERT INTO node VALUES(33,33,1,'activity','filter-language-2025-06-03',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'filter-language','fasttext','0.9.3','4f9c2e1','{"keep":["en"],"min_score":0.15}','2025-06-03T07:30:00Z','2025-06-03T07:52:00Z',187,171,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'acfe27d75e8dd89eb2f787596ad3da4c43aeca416a8c7b056f5e522dc7b216c5');
INSERT INTO node VALUES(34,34,1,'activity','scrub-pii-2025-06-03',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'scrub-pii','presidio-analyzer','2.2.355','4f9c2e1','{"entities":["PERSON","EMAIL_ADDRESS","PHONE_NUMBER","LOCATION"],"replace_with":"placeholder"}','2025-06-03T09:00:00Z','2025-06-03T09:18:00Z',144,144,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'457751e4e3fe82520b3b66b4286f0ca8d3c34415aa5ef3d4dfb321bbdda944bc');
INSERT INTO node VALUES(35,35,1,'activity','extract-ticket-qa-2025-06-04',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'extract-qa','nw-data-pipeline','2.3.1','a93d0b7','{"answer":"first agent reply","question":"first customer message","status":"resolved"}','2025-06-04T14:10:00Z','2025-06-04T14:12:00Z',84,71,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'48762100a64fc3c0795c1dad7cc840d729b3e8687cfe979a723a696018c03567');
INSERT INTO node VALUES(36,36,1,'activity','extract-code-2025-06-04',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'extract-code','nw-data-pipeline','2.3.1','4f9c2e1','{"exclude":["LICENSE","COPYING","NOTICE","README.md"],"include":["*.py","*.js"]}','2025-06-04T16:00:00Z','2025-06-04T16:01:00Z',10,10,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'6b7005bb9030d22e1d3e2b949442f494d933a96d150926dda0b23af12f05c8b5');
INSERT INTO node VALUES(37,37,1,'activity','deduplicate-2025-06-05',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'deduplicate','nw-data-pipeline','2.3.1','4f9c2e1','{"keep":"first","key":"sha256 of lower-cased text without punctuation","method":"exact"}','2025-06-05T06:00:00Z','2025-06-05T06:25:00Z',365,349,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'0dfa97797b5319496fd3b2fa618d88c55bdeba51d57eba4f65840ddb4c191ff7');
INSERT INTO node VALUES(38,38,1,'activity','write-heldout-2025-06-06',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'annotate','label-studio','1.13.1',NULL,'{"locales":["en-US","en-GB","en-IN","en-NG","en-PH"],"name_genders":["female","male"],"questions":20}','2025-06-05T09:00:00Z','2025-06-06T16:30:00Z',48,100,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'f486f5a88d17f18b6d8c54307585086f3cfe4af946b596bd17f9705e6e2af069');
INSERT INTO node VALUES(39,39,1,'activity','mix-2025-06-08',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'mix','nw-data-pipeline','2.3.1','4f9c2e1','{"seed":20250601,"shuffle":true,"weights":{"code-files":1.0,"synthetic-instructions-orion":1.0,"text-deduped":0.8,"ticket-qa-pairs":1.0,"user-data-scrubbed":1.0}}','2025-06-08T10:00:00Z','2025-06-08T10:04:00Z',684,621,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'c634d670f832dcbd8faadad6f6440091705a5c2435b217c58cdf9f42852609f9');
INSERT INTO node VALUES(40,40,1,'activity','tokenize-2025-06-09',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'tokenize','sentencepiece','0.2.0','4f9c2e1','{"add_bos":true,"add_eos":true,"dtype":"uint16","vocab_size":32000}','2025-06-09T07:00:00Z','2025-06-09T07:03:00Z',621,621,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'bd466769033e0ab0e866e28c2e7430fac1cb81bcc321ea40b64a22976155f26a');
INSERT INTO node VALUES(41,41,1,'activity','train-support-assistant-v1',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'train','transformers','4.44.2','c17e85d','{"base_model":"larkspur-1b-base","batch_size":64,"epochs":2,"learning_rate":0.00002,"max_seq_len":4096}','2025-06-10T06:00:00Z','2025-06-12T17:41:00Z',621,NULL,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'74bdd462ba5dd1e4f5747f3551680f10c40db45a5131d7b40ba42f1d95bb01e1');
INSERT INTO node VALUES(42,42,1,'activity','evaluate-support-assistant-v1',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'evaluate','lm-eval','0.4.3','c17e85d','{"bias_threshold":0.05,"task":"nw_support_qa"}','2025-06-13T10:05:00Z','2025-06-13T10:31:00Z',100,100,'completed',NULL,NULL,NULL,NULL,NULL,NULL,'c3ed8372f2b4c77e5931869ee5a4dd8b1e8de758b580bf0af77bb49f3bdea223');
INSERT INTO node VALUES(43,43,1,'attestation','approval-support-assistant-v1',1,NULL,'2025-06-16',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'conditional','general-commercial','customer-support replies in English, with human review','["a person reviews every reply that promises a refund","close the en-NG accuracy gap before extending to new locales"]','2026-06-16',NULL,'f17a8acdd062c975fd21034e5e3e12be0c87140271d610fbdc3b4b4c6964c801');
CREATE TABLE api_token (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	action VARCHAR(8) NOT NULL, 
	tx INTEGER NOT NULL, 
	seal VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE edge (
	id INTEGER NOT NULL, 
	subject INTEGER NOT NULL, 
	object INTEGER NOT NULL, 
	relation VARCHAR(32) NOT NULL, 
	role VARCHAR, 
	tx INTEGER NOT NULL, 
	seal VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(subject) REFERENCES node (id), 
	FOREIGN KEY(object) REFERENCES node (id)
);
INSERT INTO edge VALUES(1,2,1,'acted_on_behalf_of',NULL,1,'70c2737992c1e915149fcdd81669c9bada1005051841546f7cea6781547d428b');
INSERT INTO edge VALUES(2,3,1,'acted_on_behalf_of',NULL,1,'be06b12852b560220c983909b650b1087f7efce9c2c05fc02f8e5cad642f71a2');
INSERT INTO edge VALUES(3,4,1,'acted_on_behalf_of',NULL,1,'80478c2f049683979a309dca32941d7ddc24e43ceb5c2adabfb1f808ae110e13');
INSERT INTO edge VALUES(4,5,1,'acted_on_behalf_of',NULL,1,'e52a18aeb298ae7e7c01a5764046c4185cf964e4a98d9293adea8851fa30c43d');
INSERT INTO edge VALUES(5,6,1,'acted_on_behalf_of',NULL,1,'281795b3621316a98d38c5916b76c5e25ba4960163f426c38bcb506608beb840');
INSERT INTO edge VALUES(6,7,2,'acted_on_behalf_of',NULL,1,'af55475d186829adbdafdb6a24744a997c6137006e34913f9511b3b7e8dd3d33');
INSERT INTO edge VALUES(7,18,29,'was_derived_from',NULL,1,'98f40930e7175142f72f38063e1fcc7be8018017eaee14c31a202137d09a10bb');
INSERT INTO edge VALUES(8,32,8,'used',NULL,1,'186ec229efe6b27af422b55996e2fea231a98b492fdba6cdae6393ad2ed270aa');
INSERT INTO edge VALUES(9,19,32,'was_generated_by',NULL,1,'aa4502b0580fb033eb1f8ab0b24fc97f85608fc2051c985dc9e8b2bf2e527da3');
INSERT INTO edge VALUES(10,32,7,'was_associated_with',NULL,1,'61758810c9be29b42b2d1b0b817986efa43625a1472756392ad1d4b7875a0a19');
INSERT INTO edge VALUES(11,33,19,'used',NULL,1,'903ebd65a02cd2ea4bb260bd15aa00bbc42f39a67d1ecf1acdbb9e2d0377d267');
INSERT INTO edge VALUES(12,33,9,'used',NULL,1,'c2b06716f3dc29b4dca6dcf7e7b25aa428ddf2d6a1c33988007aa3a00064ec9f');
INSERT INTO edge VALUES(13,20,33,'was_generated_by',NULL,1,'eb60be8e5f6e4b4a454885e913c99cce4f173c7be6aecf7c0552da8a809a2ae0');
INSERT INTO edge VALUES(14,33,7,'was_associated_with',NULL,1,'ecc64f9926de55886c4fde1122c2fb0b40247b271054ad9ebcfd597fed159301');
INSERT INTO edge VALUES(15,34,16,'used',NULL,1,'3665045089af5e41a1558a0f9e31cb7091c005418ed650128f6b1fc3f376ac91');
INSERT INTO edge VALUES(16,34,17,'used',NULL,1,'a50c52da68c7a617368c9adc5af0276b023c7f7e3701508c0e8b2218d5c40c5a');
INSERT INTO edge VALUES(17,21,34,'was_generated_by',NULL,1,'ab8523b2fcb4f3ff0018ff042d9189a9ba342ef3add0d910b80eeb6059313caa');
INSERT INTO edge VALUES(18,34,7,'was_associated_with',NULL,1,'766a348fc1efc17ecb6d151a02ed724c6374ad26ad8fd78e3b3ecd5d7df04dab');
INSERT INTO edge VALUES(19,35,16,'used',NULL,1,'2c6d35e13b5844b23e8162034fa76d17062ae6e09aa8727b3aa0271e5cb53902');
INSERT INTO edge VALUES(20,22,35,'was_generated_by',NULL,1,'f9afe2e4b7b5f5c1e6fd4ab9037a21d91cd86e69d2f29667b07754a8b4d8e165');
INSERT INTO edge VALUES(21,35,2,'was_associated_with',NULL,1,'978b972b116bfc7e3ae6492743e800cea33593db66c3a01340f8004512cfb8b7');
INSERT INTO edge VALUES(22,36,12,'used',NULL,1,'6e081d7290ede08cf9e3cf7da0b7cb26874bcb72be636b00d08b78becc5a731a');
INSERT INTO edge VALUES(23,36,13,'used',NULL,1,'5570514d1f6726f703c4e3cb8782be66b38735b3b49ffe82bc5c579beb7ed0a5');
INSERT INTO edge VALUES(24,36,14,'used',NULL,1,'d936191b828b79079a0ae272c8af2b48bf519275e4794ff36594b5f827a6cbaa');
INSERT INTO edge VALUES(25,36,15,'used',NULL,1,'947455164286eaaf0b99660a7ac82f3d630f673cb8882046c6cde0339c47134b');
INSERT INTO edge VALUES(26,23,36,'was_generated_by',NULL,1,'fe5f25c012fb5d413e2571f1b59f33f5196eec2df26fc1911cda0ff5a58a2263');
INSERT INTO edge VALUES(27,36,7,'was_associated_with',NULL,1,'aa4ce7d49bd70a591b8ff66862cfbca97f042027f481e8b3442a2d6db5d5b63b');
INSERT INTO edge VALUES(28,37,20,'used',NULL,1,'cbabd8fdfd4179d842f1a6bf103d800c3bf6fe442fa0f79af5392b1c6db595b0');
INSERT INTO edge VALUES(29,37,10,'used',NULL,1,'182e48953feece0c4da24b8c7567e2e00b891d7834a8ef2988cb8c455b26689d');
INSERT INTO edge VALUES(30,37,11,'used',NULL,1,'fe1bb489640ff1e9dc42ae93e7b6859202bb4053f61bdbc6b2714fb4123424fa');
INSERT INTO edge VALUES(31,24,37,'was_generated_by',NULL,1,'a7d1c2ff208889d39369961fcd9f7b237708320a960cbf0cead3f04705d88534');
INSERT INTO edge VALUES(32,37,7,'was_associated_with',NULL,1,'4f8745e9a2665d4a00ea9c610168000c6e56cec2dbe2761443001d8fe7053a22');
INSERT INTO edge VALUES(33,38,10,'used',NULL,1,'9b397c61d112eacdc80888dc1b2b3512ac86e99c42e89b6a76c1831424a5a38f');
INSERT INTO edge VALUES(34,25,38,'was_generated_by',NULL,1,'cbab69923054cfd42a6a001197d18c4ed9f0199c77e4b11827b827b92132538e');
INSERT INTO edge VALUES(35,38,4,'was_associated_with',NULL,1,'01de9daf6f5e842695f19cf984c7304ae26402ffc50e2a9b3350e1ef6da5c8b8');
INSERT INTO edge VALUES(36,39,24,'used',NULL,1,'ef3dcd470c9a54e5eda0c77baddb0d634987ee68ab25ae1300931790ca9c9d50');
INSERT INTO edge VALUES(37,39,21,'used',NULL,1,'6f9102fa8db1466c874dfcbb25e088d51816f5179a4a18e8d329d2d6b56d30ae');
INSERT INTO edge VALUES(38,39,22,'used',NULL,1,'914c311028a31d61f9e0d7274a51aecd7d4d35b48539bda15c1b9195ec25aa4a');
INSERT INTO edge VALUES(39,39,23,'used',NULL,1,'0e7fdaf1cfc30d384be7c360a185671684f4e5610009e2659a7225c699d937a3');
INSERT INTO edge VALUES(40,39,18,'used',NULL,1,'eb53a359b716d0826ade8bfeb20b59b67b95495e0f8bb0a2048799c68b793200');
INSERT INTO edge VALUES(41,26,39,'was_generated_by',NULL,1,'ce0b60b88984f09a1aa190da39a0499b5db36e48842e3e2d024d8d69ccd63046');
INSERT INTO edge VALUES(42,39,7,'was_associated_with',NULL,1,'f7916b4eae7a165c60c058f3c9733fd0a774bc89e155e12273f66e2d33a52cf8');
INSERT INTO edge VALUES(43,40,26,'used',NULL,1,'035f1dd62e177f17e059fe4a8bf4244bb4d7893f47facc625776db9084d7b6e3');
INSERT INTO edge VALUES(44,27,40,'was_generated_by',NULL,1,'a21af938e3bdad616d5e43ab9aae8f8fcdc8b8869fb2257083c10a2b8e4e6be0');
INSERT INTO edge VALUES(45,40,7,'was_associated_with',NULL,1,'dc116d740ef9dd56fa7c50582e40f564389be2d71d27ceae181986f65ae47aee');
INSERT INTO edge VALUES(46,41,27,'used',NULL,1,'6ed7101002c19133b7c34831caec9a6f92d207a925ace2d88b0385857dda3a47');
INSERT INTO edge VALUES(47,41,30,'used',NULL,1,'18184febfeff131cdd8bcf9cc5c18a0b40599098a3ff07302f283a6e24c73e15');
INSERT INTO edge VALUES(48,31,41,'was_generated_by',NULL,1,'a45ea8e848d526acbf50210ec7fb604a151f6aad850d1ea8c624758898934cdb');
INSERT INTO edge VALUES(49,41,3,'was_associated_with',NULL,1,'946fc16609eb569912f027f6e74c36f2a46bd0f70dcef8aec70b53e893c1483d');
INSERT INTO edge VALUES(50,42,31,'used',NULL,1,'f87d1f06472bd1c49bc7bf19ff36874c72673c09b5fce07dbb5be2f1e85c07ab');
INSERT INTO edge VALUES(51,42,25,'used',NULL,1,'a59267b9e4bbae4fc19f0d17d93a0d6724ceae2fb586290f810e255675d0d9cb');
INSERT INTO edge VALUES(52,28,42,'was_generated_by',NULL,1,'4454b62fe5508704e8e8d8fbf87158a6a665f9eb8cf517c60b59f698d5982f29');
INSERT INTO edge VALUES(53,42,4,'was_associated_with',NULL,1,'a752fa4f4effa13c586b836744913503b118a68846c3dffcd4b7a6113c2acd29');
INSERT INTO edge VALUES(54,43,31,'was_derived_from',NULL,1,'44957e9174473ba113fcefb3191d16b31d4a3d4c9f6adbc0456f3cd7fa4f696c');
INSERT INTO edge VALUES(55,43,5,'was_attributed_to',NULL,1,'f7bd924d29d59be5bbfa9c9226753853ea0d1092485425f0962709269f28e927');
CREATE UNIQUE INDEX uq_node_name_kind_version ON node (name, kind, version);
CREATE INDEX ix_node_node_id ON node (node_id, version);
CREATE INDEX ix_api_token_hash ON api_token (token_hash);
CREATE INDEX ix_edge_object ON edge (object);
CREATE UNIQUE INDEX uq_edge ON edge (subject, object, relation);
COMMIT;
