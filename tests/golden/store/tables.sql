-- sqlite
CREATE TABLE alias (
	id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	node_id INTEGER NOT NULL,
	tx INTEGER NOT NULL,
	seal VARCHAR(64) NOT NULL,
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX uq_alias_name ON alias (name);
CREATE TABLE api_token (
	id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	token_hash VARCHAR(64) NOT NULL,
	action VARCHAR(8) NOT NULL,
	tx INTEGER NOT NULL,
	seal VARCHAR(64) NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_api_token_hash ON api_token (token_hash);
CREATE TABLE data_root (
	id INTEGER NOT NULL,
	path VARCHAR NOT NULL,
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
CREATE INDEX ix_edge_object ON edge (object);
CREATE UNIQUE INDEX uq_edge ON edge (subject, object, relation);
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
	size_bytes BIGINT,
	records BIGINT,
	tokens BIGINT,
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
	records_in BIGINT,
	records_out BIGINT,
	status VARCHAR(16),
	decision VARCHAR(16),
	tier VARCHAR(32),
	scope VARCHAR,
	conditions TEXT,
	expires VARCHAR(10),
	attrs TEXT,
	metric VARCHAR,
	metric_value FLOAT,
	slice VARCHAR,
	category VARCHAR(16),
	threshold FLOAT,
	direction VARCHAR(20),
	outcome VARCHAR(8),
	ci_lower FLOAT,
	ci_upper FLOAT,
	coverage TEXT,
	known_biases TEXT,
	limitations TEXT,
	declared_license VARCHAR,
	seal VARCHAR(64) NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_node_digest ON node (digest) WHERE digest IS NOT NULL;
CREATE INDEX ix_node_node_id ON node (node_id, version);
CREATE UNIQUE INDEX uq_node_name_kind_version ON node (name, kind, version);
CREATE TABLE schema_info (
	"key" VARCHAR(64) NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY ("key")
);
-- postgresql
CREATE TABLE alias (
	id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	node_id INTEGER NOT NULL,
	tx INTEGER NOT NULL,
	seal VARCHAR(64) NOT NULL,
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX uq_alias_name ON alias (name);
CREATE TABLE api_token (
	id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	token_hash VARCHAR(64) NOT NULL,
	action VARCHAR(8) NOT NULL,
	tx INTEGER NOT NULL,
	seal VARCHAR(64) NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_api_token_hash ON api_token (token_hash);
CREATE TABLE data_root (
	id INTEGER NOT NULL,
	path VARCHAR NOT NULL,
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
CREATE INDEX ix_edge_object ON edge (object);
CREATE UNIQUE INDEX uq_edge ON edge (subject, object, relation);
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
	size_bytes BIGINT,
	records BIGINT,
	tokens BIGINT,
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
	records_in BIGINT,
	records_out BIGINT,
	status VARCHAR(16),
	decision VARCHAR(16),
	tier VARCHAR(32),
	scope VARCHAR,
	conditions TEXT,
	expires VARCHAR(10),
	attrs TEXT,
	metric VARCHAR,
	metric_value FLOAT,
	slice VARCHAR,
	category VARCHAR(16),
	threshold FLOAT,
	direction VARCHAR(20),
	outcome VARCHAR(8),
	ci_lower FLOAT,
	ci_upper FLOAT,
	coverage TEXT,
	known_biases TEXT,
	limitations TEXT,
	declared_license VARCHAR,
	seal VARCHAR(64) NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_node_digest ON node (digest) WHERE digest IS NOT NULL;
CREATE INDEX ix_node_node_id ON node (node_id, version);
CREATE UNIQUE INDEX uq_node_name_kind_version ON node (name, kind, version);
CREATE TABLE schema_info (
	key VARCHAR(64) NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY (key)
);
