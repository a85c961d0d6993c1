"""The recorder: one supervised FFmpeg per recorded camera, writing short fragmented-MP4
segments (stream copy, never re-encoded) that the journal indexes with their gaps.

Qt-free; it runs in whoever owns the journal's writes (the one console's runtime, or a
room's `serve`), so it keeps recording when a seat closes or crashes.
"""
