"""Content digests: real files in tmp_path, real hashing, a real SQLite cache."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

import lineage.digests
from lineage.digests import Digest, DigestCache, digest_path, digest_paths
from lineage.errors import PathError

HOUR_AGO_NS = time.time_ns() - 3600 * 10**9
SETTLED_NS = 3 * 10**9  # past the cache's two-second window for recent changes
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


@pytest.fixture(autouse=True)
def scan_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scans start a few seconds after the test changed its files, as they would in use:
    a file's ctime, which `age` cannot set back, is then old enough to be cached too."""
    monkeypatch.setattr(lineage.digests, "_clock", lambda: time.time_ns() + SETTLED_NS)


def just_changed(path: Path) -> None:
    """Give `path` an mtime just before the (later) scan starts: too recent to cache."""
    moment = time.time_ns() + SETTLED_NS
    os.utime(path, ns=(moment, moment))


def next_ctime_tick(scratch: Path, after: Path) -> None:
    """Return once a change made now gets a later ctime than `after` has: a kernel with
    coarse timestamps gives changes within one tick (a few ms) the same ctime."""
    before = after.stat().st_ctime_ns
    while True:
        scratch.write_bytes(b"tick")
        if scratch.stat().st_ctime_ns > before:
            return


@pytest.fixture
def cache_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default cache, in a folder that does not exist yet, inside the test's folder."""
    path = tmp_path / "cache" / "digests.sqlite"
    monkeypatch.setenv("LINEAGE_CACHE", str(path))
    return path


@pytest.fixture
def data(tmp_path: Path, cache_file: Path) -> Path:
    """A folder to build trees in, apart from the cache."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def sha256(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def age(path: Path, mtime_ns: int = HOUR_AGO_NS) -> None:
    """Give every file at or under `path` an old mtime, so the cache may keep it."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for file in files:
        os.utime(file, ns=(mtime_ns, mtime_ns), follow_symlinks=False)


def rewrite_in_place(path: Path, content: bytes) -> None:
    """Change content but keep the inode, as an editor saving in place would."""
    with path.open("r+b") as handle:
        handle.write(content)
        handle.truncate()


def cached_paths(cache_file: Path) -> set[str]:
    with closing(sqlite3.connect(cache_file)) as connection:
        return {os.fsdecode(row[0]) for row in connection.execute("SELECT path FROM digests")}


def expected_digest(path: Path) -> bytes:
    """The documented format, recomputed independently of lineage.digests."""
    if path.is_symlink():
        return hashlib.sha256(os.fsencode(os.readlink(path))).digest()
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).digest()
    body = b""
    for name in sorted(os.listdir(path), key=os.fsencode):
        child = path / name
        if child.is_symlink():
            tag = b"l"
        elif child.is_dir():
            tag = b"d"
        elif child.is_file():
            tag = b"f"
        else:
            continue  # sockets and FIFOs are skipped
        body += tag + os.fsencode(name) + b"\x00" + expected_digest(child)
    return hashlib.sha256(body).digest()


def sample_tree(root: Path) -> Path:
    write(root / "README.md", b"# reviews\n")
    write(root / "train" / "part-0.jsonl", b'{"text": "good"}\n' * 100)
    write(root / "train" / "part-1.jsonl", b'{"text": "bad"}\n' * 50)
    write(root / "train" / "empty.txt", b"")
    (root / "test").mkdir()
    (root / "empty-dir").mkdir()
    write(root / "big.bin", os.urandom(3 * 2**20 + 7))  # streamed through the buffer
    return root


class RecordingProgress:
    def __init__(self) -> None:
        self.events: list[tuple[str, int, int]] = []

    def started(self, total_files: int, total_bytes: int) -> None:
        self.events.append(("started", total_files, total_bytes))

    def advanced(self, files: int, nbytes: int) -> None:
        self.events.append(("advanced", files, nbytes))

    def advanced_sum(self) -> tuple[int, int]:
        steps = [event for event in self.events if event[0] == "advanced"]
        return sum(step[1] for step in steps), sum(step[2] for step in steps)


# Files


def test_file_digest_is_sha256_of_its_bytes(data: Path) -> None:
    content = b"hello, lineage\n"
    path = write(data / "hello.txt", content)

    result = digest_path(path, cache=DigestCache.disabled())

    assert result == Digest(str(path), "file", sha256(content), len(content), 1)


def test_large_file_digest_is_sha256_of_its_bytes(data: Path) -> None:
    content = os.urandom(9 * 2**20 + 3)  # more than one buffer, and a task of its own
    path = write(data / "shard.bin", content)

    result = digest_path(path, cache=DigestCache.disabled(), workers=2)

    assert result.digest == sha256(content)
    assert result.size == len(content)


def test_empty_file_digest_is_sha256_of_nothing(data: Path) -> None:
    path = write(data / "empty", b"")

    assert digest_path(path, cache=DigestCache.disabled()).digest == sha256(b"")


def test_relative_path_is_reported_absolute(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(data / "a.txt", b"a")
    monkeypatch.chdir(data)

    assert digest_path("a.txt", cache=DigestCache.disabled()).path == str(data / "a.txt")


def test_digest_paths_returns_one_digest_per_path_in_order(data: Path) -> None:
    first = write(data / "one", b"1")
    second = write(data / "two", b"22")

    results = digest_paths([second, first, data], cache=DigestCache.disabled())

    assert [r.path for r in results] == [str(second), str(first), str(data)]
    assert [r.digest for r in results[:2]] == [sha256(b"22"), sha256(b"1")]
    assert (results[2].kind, results[2].files, results[2].size) == ("directory", 2, 3)


# Directories


def test_directory_digest_follows_the_documented_format(data: Path) -> None:
    root = sample_tree(data / "tree")
    os.symlink("train/part-0.jsonl", root / "latest")

    result = digest_path(root, cache=DigestCache.disabled())

    assert result.digest == "sha256:" + expected_digest(root).hex()
    assert result.kind == "directory"
    assert result.files == 5
    files = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    assert result.size == sum(p.stat().st_size for p in files)


def test_empty_directory_digest_is_sha256_of_nothing(data: Path) -> None:
    assert digest_path(data, cache=DigestCache.disabled()) == Digest(
        str(data), "directory", sha256(b""), 0, 0
    )


def test_directory_digest_does_not_depend_on_creation_order_or_location(data: Path) -> None:
    names = [f"file-{n:02d}" for n in range(30)] + ["sub/a", "sub/b", "sub/deeper/c"]
    for root, order in ((data / "forward", names), (data / "backward", names[::-1])):
        for name in order:
            write(root / name, name.encode())

    forward, backward = digest_paths(
        [data / "forward", data / "backward"], cache=DigestCache.disabled()
    )

    assert forward.digest == backward.digest


def _change_content(root: Path) -> None:
    write(root / "train" / "part-1.jsonl", b'{"text": "BAD"}\n' * 50)


def _rename_file(root: Path) -> None:
    (root / "train" / "part-1.jsonl").rename(root / "train" / "part-2.jsonl")


def _add_empty_file(root: Path) -> None:
    write(root / "test" / "empty.jsonl", b"")


def _add_empty_directory(root: Path) -> None:
    (root / "test" / "more").mkdir()


def _move_file_to_another_directory(root: Path) -> None:
    (root / "train" / "part-1.jsonl").rename(root / "test" / "part-1.jsonl")


def _turn_file_into_symlink(root: Path) -> None:
    (root / "README.md").unlink()
    os.symlink("# reviews\n", root / "README.md")


@pytest.mark.parametrize(
    "change",
    [
        _change_content,
        _rename_file,
        _add_empty_file,
        _add_empty_directory,
        _move_file_to_another_directory,
        _turn_file_into_symlink,
    ],
)
def test_directory_digest_changes_when_the_tree_changes(
    data: Path, change: Callable[[Path], None]
) -> None:
    root = sample_tree(data / "tree")
    before = digest_path(root, cache=DigestCache.disabled())

    change(root)
    after = digest_path(root, cache=DigestCache.disabled())

    assert after.digest != before.digest
    assert after.digest == "sha256:" + expected_digest(root).hex()


def test_parallel_hashing_gives_the_same_digests_as_one_thread(data: Path) -> None:
    root = data / "many"
    for n in range(600):
        write(root / f"d{n % 7}" / f"f{n:04d}", os.urandom(n * 37 % 5000))
    write(root / "large.bin", os.urandom(9 * 2**20))

    one = digest_path(root, cache=DigestCache.disabled(), workers=1)
    four = digest_path(root, cache=DigestCache.disabled(), workers=4)

    assert one == four
    assert one.digest == "sha256:" + expected_digest(root).hex()


def test_small_files_are_hashed_on_one_thread_unless_workers_are_given(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lineage.digests

    pools: list[int] = []
    real = lineage.digests.ThreadPoolExecutor

    def counting(workers: int, **options: object) -> object:
        pools.append(workers)
        return real(workers, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(lineage.digests, "ThreadPoolExecutor", counting)
    monkeypatch.setattr(lineage.digests, "_default_workers", lambda: 2)
    small = data / "small"
    for n in range(3000):
        write(small / f"d{n % 5}" / f"f{n:04d}", os.urandom(1024 + n % 7))
    large = data / "large"
    for n in range(40):
        write(large / f"f{n:02d}", os.urandom(256 * 1024))

    digest_path(small, cache=DigestCache.disabled())
    assert pools == []  # 1 KiB files: threads would only take turns on the GIL
    digest_path(small, cache=DigestCache.disabled(), workers=2)
    assert pools == [2]  # asked for
    digest_path(large, cache=DigestCache.disabled())
    assert pools == [2, 2]  # 256 KiB files: hashing outweighs the per-file cost


def remove_deep_tree(top: str) -> None:
    """shutil.rmtree, and so pytest's clean-up of tmp_path, recurses: delete bottom-up."""
    folders, pending = [], [top]
    while pending:
        folder = pending.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


def test_directory_deeper_than_the_recursion_limit_is_hashed(data: Path) -> None:
    depth = sys.getrecursionlimit() + 100
    deepest = str(data / "deep")
    os.mkdir(deepest)
    try:
        for _ in range(depth):  # os.makedirs recurses too
            deepest = os.path.join(deepest, "d")
            os.mkdir(deepest)
        write(Path(deepest, "f"), b"bottom")

        result = digest_path(data / "deep", cache=DigestCache.disabled())
    finally:
        remove_deep_tree(str(data / "deep"))

    expected = hashlib.sha256(b"f" + b"f\x00" + hashlib.sha256(b"bottom").digest()).digest()
    for _ in range(depth):
        expected = hashlib.sha256(b"d" + b"d\x00" + expected).digest()
    assert result.digest == "sha256:" + expected.hex()
    assert result.files == 1


def test_undecodable_name_is_hashed_by_its_bytes(data: Path) -> None:
    name = b"caf\xe9.txt"  # Latin-1, not UTF-8
    try:
        with open(os.path.join(os.fsencode(data), name), "wb") as handle:
            handle.write(b"latte")
    except OSError as error:
        pytest.skip(f"this file system refuses non-UTF-8 names ({error})")

    expected = hashlib.sha256(b"f" + name + b"\x00" + hashlib.sha256(b"latte").digest())
    result = digest_path(data, cache=DigestCache.disabled())
    assert result.digest == "sha256:" + expected.hexdigest()


# Symbolic links and special files


def test_symlink_digest_is_sha256_of_its_target_text(data: Path) -> None:
    write(data / "real.txt", b"content")
    os.symlink("real.txt", data / "link")

    result = digest_path(data / "link", cache=DigestCache.disabled())

    assert result == Digest(str(data / "link"), "symlink", sha256(b"real.txt"), 0, 0)


def test_symlink_in_a_directory_is_not_followed(data: Path) -> None:
    root = data / "tree"
    write(root / "a.txt", b"a")
    os.symlink(data / "outside.txt", root / "link")
    write(data / "outside.txt", b"first")
    before = digest_path(root, cache=DigestCache.disabled())

    write(data / "outside.txt", b"second")  # the link's target changes, the link does not
    after = digest_path(root, cache=DigestCache.disabled())

    assert after.digest == before.digest
    assert before.files == 1  # the link is not a file of the tree


def test_dangling_symlink_is_hashed_by_its_target_text(data: Path) -> None:
    os.symlink("nowhere", data / "dangling")

    assert digest_path(data / "dangling", cache=DigestCache.disabled()).digest == sha256(b"nowhere")


def test_symlink_to_a_directory_is_not_walked(data: Path) -> None:
    write(data / "real" / "f", b"f")
    os.symlink("real", data / "alias")

    result = digest_path(data / "alias", cache=DigestCache.disabled())

    assert (result.kind, result.files, result.digest) == ("symlink", 0, sha256(b"real"))


@needs_fifo
def test_fifo_in_a_directory_is_skipped(data: Path) -> None:
    write(data / "a.txt", b"a")
    before = digest_path(data, cache=DigestCache.disabled())

    os.mkfifo(data / "pipe")
    after = digest_path(data, cache=DigestCache.disabled())

    assert after == before


# The cache


def test_cache_is_created_at_lineage_cache(data: Path, cache_file: Path) -> None:
    path = write(data / "a.txt", b"a")
    age(path)

    digest_path(path)

    assert cached_paths(cache_file) == {str(path)}


def poison(cache_file: Path, table: str = "digests") -> None:
    """Make every row of the cache say something the files do not hold."""
    with closing(sqlite3.connect(cache_file)) as connection, connection:
        column = "digests" if table == "folders" else "digest"
        connection.execute(f"UPDATE {table} SET {column} = zeroblob(length({column}))")
        if table == "folders":
            connection.execute("UPDATE folders SET digest = zeroblob(32)")


def test_cache_hit_returns_the_cached_digest_without_reading_the_file(
    data: Path, cache_file: Path
) -> None:
    path = write(data / "a.txt", b"real")
    age(path)
    assert digest_path(path).digest == sha256(b"real")

    poison(cache_file)  # the file is untouched: only the cache can answer "00..."

    assert digest_path(path).digest == "sha256:" + "00" * 32
    assert digest_path(path, cache=DigestCache.disabled()).digest == sha256(b"real")


def test_an_edit_in_place_with_its_mtime_set_back_is_hashed_again(
    data: Path, cache_file: Path, tmp_path: Path
) -> None:
    path = write(data / "a.txt", b"old!")
    age(path)
    assert digest_path(path).digest == sha256(b"old!")
    next_ctime_tick(tmp_path / "tick", path)

    # Same size, same inode, the mtime set back as `touch -m -r` would: only the ctime,
    # which the kernel sets on every change, tells the edit apart.
    rewrite_in_place(path, b"new!")
    age(path)

    assert digest_path(path).digest == sha256(b"new!")


def test_an_edit_with_its_mtime_set_back_is_seen_through_the_folder_rows(
    data: Path, cache_file: Path, tmp_path: Path
) -> None:
    root = sample_tree(data / "tree")
    age(root)
    first = digest_path(root)
    next_ctime_tick(tmp_path / "tick", root / "train" / "part-0.jsonl")

    part = root / "train" / "part-0.jsonl"
    rewrite_in_place(part, part.read_bytes().replace(b"good", b"evil"))
    age(part)

    again = digest_path(root)
    assert again.digest != first.digest
    assert again.digest == "sha256:" + expected_digest(root).hex()


def test_rehash_ignores_a_poisoned_cache_and_writes_the_truth_back(
    data: Path, cache_file: Path
) -> None:
    root = sample_tree(data / "tree")
    age(root)
    truth = digest_path(root)
    poison(cache_file)
    poison(cache_file, "folders")
    assert digest_path(root).digest != truth.digest  # the cache answers, wrongly

    assert digest_path(root, rehash=True) == truth
    assert digest_path(root) == truth  # the rows were rewritten


def test_a_file_whose_ctime_is_recent_is_hashed_but_not_cached(
    data: Path, cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lineage.digests, "_clock", time.time_ns)  # the scan starts now
    path = write(data / "a.txt", b"a")
    age(path)  # an old mtime, but the change of it was just now

    assert digest_path(path).digest == sha256(b"a")
    assert cached_paths(cache_file) == set()


def test_changed_file_with_a_new_mtime_is_rehashed(data: Path, cache_file: Path) -> None:
    path = write(data / "a.txt", b"old!")
    age(path)
    assert digest_path(path).digest == sha256(b"old!")

    rewrite_in_place(path, b"new!")
    age(path, HOUR_AGO_NS + 1)

    assert digest_path(path).digest == sha256(b"new!")


def test_stale_cache_entry_in_a_directory_is_not_used(data: Path, cache_file: Path) -> None:
    root = sample_tree(data / "tree")
    age(root)
    with DigestCache.open() as cache:
        digest_path(root, cache=cache)
        rewrite_in_place(root / "README.md", b"# REVIEWS\n")
        age(root / "README.md", HOUR_AGO_NS + 1_000)

        result = digest_path(root, cache=cache)

    assert result.digest == "sha256:" + expected_digest(root).hex()


def test_recently_modified_file_is_hashed_but_not_cached(data: Path, cache_file: Path) -> None:
    just_changed(write(data / "fresh.txt", b"fresh"))
    old = write(data / "old.txt", b"old")
    age(old)

    result = digest_path(data)

    assert result.files == 2
    assert cached_paths(cache_file) == {str(old)}


def test_rewrite_within_one_timestamp_tick_is_not_missed(
    data: Path, cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lineage.digests, "_clock", time.time_ns)  # the scan starts now
    path = write(data / "a.txt", b"one!")
    mtime_ns = path.stat().st_mtime_ns
    assert digest_path(path).digest == sha256(b"one!")

    # A file system with coarse timestamps gives a quick rewrite the same mtime.
    rewrite_in_place(path, b"two!")
    os.utime(path, ns=(mtime_ns, mtime_ns))

    assert digest_path(path).digest == sha256(b"two!")


def test_cache_forgets_files_that_are_gone(data: Path, cache_file: Path) -> None:
    root = sample_tree(data / "tree")
    age(root)
    digest_path(root)
    (root / "README.md").unlink()

    digest_path(root)

    assert str(root / "README.md") not in cached_paths(cache_file)
    assert str(root / "big.bin") in cached_paths(cache_file)


def test_cached_and_uncached_digests_agree(data: Path, cache_file: Path) -> None:
    root = sample_tree(data / "tree")
    age(root)

    with DigestCache.open() as cache:
        first, second = (digest_path(root, cache=cache) for _ in range(2))

    assert first == second == digest_path(root, cache=DigestCache.disabled())
    assert len(cached_paths(cache_file)) == 5


def cached_folders(cache_file: Path) -> set[str]:
    with closing(sqlite3.connect(cache_file)) as connection:
        return {os.fsdecode(row[0]) for row in connection.execute("SELECT path FROM folders")}


def test_an_unchanged_tree_is_answered_from_folder_rows_without_file_rows(
    data: Path, cache_file: Path
) -> None:
    root = sample_tree(data / "tree")
    age(root)
    first = digest_path(root)
    assert cached_folders(cache_file) == {
        str(root / name) for name in ("", "train", "test", "empty-dir")
    } | {str(root)}
    # With the file rows gone, only the folder rows can give the digests.
    with closing(sqlite3.connect(cache_file)) as connection, connection:
        connection.execute("DELETE FROM digests")
    progress = RecordingProgress()

    again = digest_path(root, progress=progress)

    assert again == first
    assert progress.advanced_sum() == (first.files, first.size)
    assert cached_paths(cache_file) == set()  # nothing was hashed, so nothing was written


MUTATIONS: list[tuple[str, Callable[[Path], None]]] = [
    ("rewrite a nested file", lambda r: write(r / "train" / "part-0.jsonl", b"changed\n")),
    ("add a nested file", lambda r: write(r / "train" / "part-2.jsonl", b"new\n")),
    ("remove a nested file", lambda r: (r / "train" / "part-1.jsonl").unlink()),
    ("add a file to an empty folder", lambda r: write(r / "test" / "a.txt", b"a")),
    ("add a folder deep down", lambda r: write(r / "train" / "x" / "y" / "z.txt", b"z")),
    ("remove a folder", lambda r: (r / "empty-dir").rmdir()),
    ("rename a file", lambda r: (r / "train" / "empty.txt").rename(r / "train" / "blank.txt")),
    ("add a link", lambda r: (r / "train" / "link").symlink_to("part-0.jsonl")),
    ("retarget a link", lambda r: _retarget(r / "train" / "link", "missing")),
    ("swap a file for a folder", lambda r: _file_to_folder(r / "README.md")),
]


def _retarget(link: Path, target: str) -> None:
    link.unlink()
    link.symlink_to(target)


def _file_to_folder(path: Path) -> None:
    path.unlink()
    write(path / "inside.txt", b"inside")


def test_every_change_to_a_tree_is_seen_through_the_folder_rows(
    data: Path, cache_file: Path
) -> None:
    root = sample_tree(data / "tree")
    tick = HOUR_AGO_NS
    age(root, tick)
    with DigestCache.open() as cache:
        digest_path(root, cache=cache)
        for step, mutate in MUTATIONS:
            mutate(root)
            # What the step wrote gets a new mtime, old enough to be cached; the rest
            # keeps its own, so the folders above a change still match theirs.
            tick += 1_000_000
            for file in root.rglob("*"):
                if file.is_file() and not file.is_symlink() and file.stat().st_mtime_ns > tick:
                    os.utime(file, ns=(tick, tick))
            cached = digest_path(root, cache=cache)
            again = digest_path(root, cache=cache)  # from the rows just written

            expected = "sha256:" + expected_digest(root).hex()
            assert cached.digest == expected, step
            assert again == cached, step
            assert cached == digest_path(root, cache=DigestCache.disabled()), step
    assert str(root / "empty-dir") not in cached_folders(cache_file)


def test_a_folder_with_a_recent_file_gets_no_folder_row(data: Path, cache_file: Path) -> None:
    write(data / "old" / "a.txt", b"a")
    age(data)
    just_changed(write(data / "new" / "b.txt", b"b"))

    first = digest_path(data)

    # The parent keeps a row (its listing is old), but its digest is reused only
    # when every subfolder's is, and "new" has none.
    assert cached_folders(cache_file) == {str(data), str(data / "old")}
    os.utime(data / "new" / "b.txt", ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    rewrite_in_place(data / "new" / "b.txt", b"c")
    assert digest_path(data).digest != first.digest


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_cache_is_upgraded_and_its_rows_without_ctime_are_not_used(
    data: Path, cache_file: Path, version: int
) -> None:
    path = write(data / "a.txt", b"real")
    age(path)
    info = path.stat()
    cache_file.parent.mkdir()
    with closing(sqlite3.connect(cache_file)) as connection, connection:
        connection.execute(
            "CREATE TABLE digests (path BLOB PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, inode INTEGER, digest BLOB) WITHOUT ROWID"
        )
        connection.execute("PRAGMA application_id = 1280197703")
        connection.execute(f"PRAGMA user_version = {version}")
        # A row saying something else: if it is used, the old cache was read.
        connection.execute(
            "INSERT INTO digests VALUES (?, ?, ?, ?, ?)",
            (os.fsencode(path), info.st_size, info.st_mtime_ns, info.st_ino, b"\x01" * 32),
        )

    assert digest_path(path).digest == sha256(b"real")

    with closing(sqlite3.connect(cache_file)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (3,)
        rows = connection.execute("SELECT path, ctime_ns, digest FROM digests").fetchall()
    assert rows == [(os.fsencode(path), path.stat().st_ctime_ns, hashlib.sha256(b"real").digest())]


def test_corrupt_cache_logs_a_warning_and_hashing_goes_on(
    data: Path, cache_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(cache_file, b"this is not a database" * 100)
    path = write(data / "a.txt", b"a")

    with caplog.at_level(logging.WARNING, logger="lineage.digests"):
        result = digest_path(path)

    assert result.digest == sha256(b"a")
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert str(cache_file) in caplog.records[0].getMessage()


def test_cache_in_an_impossible_place_logs_a_warning_and_hashing_goes_on(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = write(tmp_path / "a-file", b"")
    monkeypatch.setenv("LINEAGE_CACHE", str(blocker / "digests.sqlite"))
    path = write(data / "a.txt", b"a")

    with caplog.at_level(logging.WARNING, logger="lineage.digests"):
        result = digest_path(path)

    assert result.digest == sha256(b"a")
    assert "hashing without it" in caplog.text


def test_another_sqlite_database_is_not_used_as_cache(
    data: Path, cache_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache_file.parent.mkdir()
    with closing(sqlite3.connect(cache_file)) as connection, connection:
        connection.execute("CREATE TABLE node (id TEXT)")

    with caplog.at_level(logging.WARNING, logger="lineage.digests"):
        cache = DigestCache.open()
    result = digest_path(write(data / "a.txt", b"a"), cache=cache)

    assert not cache.enabled
    assert result.digest == sha256(b"a")
    assert "not a lineage digest cache" in caplog.text
    with closing(sqlite3.connect(cache_file)) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("node",)]


def test_disabled_cache_writes_nothing(data: Path, cache_file: Path) -> None:
    path = write(data / "a.txt", b"a")
    age(path)

    digest_path(path, cache=DigestCache.disabled())

    assert not cache_file.exists()


# Progress


def test_progress_totals_add_up(data: Path) -> None:
    root = sample_tree(data / "tree")
    for n in range(200):
        write(root / "many" / f"{n:03d}.txt", b"x" * n)
    progress = RecordingProgress()

    result = digest_path(root, cache=DigestCache.disabled(), workers=2, progress=progress)

    assert progress.events[0] == ("started", result.files, result.size)
    assert [event[0] for event in progress.events].count("started") == 1
    assert progress.advanced_sum() == (result.files, result.size)
    assert result.files == 205


def test_progress_counts_cache_hits(data: Path) -> None:
    root = sample_tree(data / "tree")
    age(root)
    digest_path(root)
    progress = RecordingProgress()

    result = digest_path(root, progress=progress)

    assert progress.events == [
        ("started", result.files, result.size),
        ("advanced", result.files, result.size),
    ]


def test_progress_of_an_empty_directory_is_zero(data: Path) -> None:
    progress = RecordingProgress()

    digest_path(data, cache=DigestCache.disabled(), progress=progress)

    assert progress.events == [("started", 0, 0)]


# Errors


def test_missing_path_is_a_one_line_path_error(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data)

    with pytest.raises(PathError) as raised:
        digest_path("x/y", cache=DigestCache.disabled())

    assert str(raised.value) == "path 'x/y': does not exist"


def test_missing_path_among_others_fails_the_whole_call(data: Path) -> None:
    write(data / "a.txt", b"a")

    with pytest.raises(PathError, match=r"^path '.*missing': does not exist$"):
        digest_paths([data / "a.txt", data / "missing"], cache=DigestCache.disabled())


@needs_fifo
def test_fifo_given_as_a_path_is_a_path_error(data: Path) -> None:
    os.mkfifo(data / "pipe")

    with pytest.raises(PathError) as raised:
        digest_path(data / "pipe", cache=DigestCache.disabled())

    assert str(raised.value) == f"path '{data / 'pipe'}': is not a file, directory or symlink"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads files whatever their permissions",
)
def test_unreadable_file_in_a_directory_is_a_one_line_path_error(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = write(data / "tree" / "sub" / "secret", b"s")
    secret.chmod(0)
    monkeypatch.chdir(data)
    try:
        with pytest.raises(PathError) as raised:
            digest_path("tree", cache=DigestCache.disabled())
    finally:
        secret.chmod(0o600)

    assert str(raised.value) == "path 'tree/sub/secret': cannot be read (Permission denied)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux /proc")
def test_file_failing_to_read_is_a_one_line_path_error() -> None:
    # Reading /proc/self/mem at offset 0 fails with EIO even for root.
    with pytest.raises(PathError) as raised:
        digest_path("/proc/self/mem", cache=DigestCache.disabled())

    assert str(raised.value) == "path '/proc/self/mem': cannot be read (Input/output error)"


def test_control_characters_in_a_name_are_escaped_in_the_message(data: Path) -> None:
    with pytest.raises(PathError) as raised:
        digest_path(data / "two\nlines", cache=DigestCache.disabled())

    assert "\n" not in str(raised.value)
    assert str(raised.value).endswith("two\\nlines': does not exist")


def test_workers_below_one_are_refused(data: Path) -> None:
    with pytest.raises(ValueError, match="workers must be at least 1"):
        digest_path(data, cache=DigestCache.disabled(), workers=0)


def test_a_single_path_given_to_digest_paths_is_refused(data: Path) -> None:
    with pytest.raises(TypeError, match="use digest_path for one"):
        digest_paths(str(data), cache=DigestCache.disabled())
