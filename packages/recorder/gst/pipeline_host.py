#!/usr/bin/python3
"""Runs one GStreamer pipeline that can change while it plays, driven by JSON lines.

gst-launch cannot add or remove inputs of a running pipeline, so the recorder
(TypeScript) starts this host and tells it what to do. Everything specific to
recordings (which elements, which layout) lives in TypeScript; this file only
knows how to build, edit and finish a pipeline.

Commands, one JSON object per line on stdin:
  {"cmd": "probe", "factories": [...]}            -> {"event": "probed", "present": [...]}
  {"cmd": "create", "description": "...", "count": ["venc"], "statsInterval": 1000}
                                                   -> {"event": "ready"} once playing
  {"cmd": "add-output", "id": "...", "description": "...", "properties": {"sink": {"location": "..."}},
   "feeds": {"vin": "v", "ain": "a"}}           -> {"event": "output-added", "id": ...}
  {"cmd": "remove-output", "id": "..."}           -> {"event": "output-removed", "id": ...} once finished
  {"cmd": "add-input", "id": "...", "description": "...", "target": "mix", "pad": {...},
   "properties": {"label": {"text": "..."}}}
                                                   -> {"event": "input-added", "id": ...}
                                                   -> {"event": "input-flowing", "id": ...} on its first buffer
                                                   -> {"event": "keyframe-wanted", "id": ...} when its decoder needs one
  {"cmd": "set-pad", "id": "...", "pad": {...}}
  {"cmd": "set-property", "id": "...", "element": "label", "properties": {...}}
  {"cmd": "remove-input", "id": "..."}            -> {"event": "input-removed", "id": ...}
  {"cmd": "eos"}                                   -> {"event": "eos-done"}, then exit 0
Events also: {"event": "stats", ...} every statsInterval ms,
{"event": "error", "element": ..., "message": ..., "debug": ..., "input": id or null}
(an input's error leaves the rest playing; so does an output's while another output
remains, reported as {"event": "output-failed", "id": ..., "message": ...}; any other
ends the host with exit 1).

Outputs (a muxer and its sink) hang off the tees after the encoders and come and
go while the mixers keep running, so a file and a live stream of one meeting
share one composition and one encoding.
"""
import json
import sys

try:
    import gi

    gi.require_version("Gst", "1.0")
    from gi.repository import GLib, Gst
except (ImportError, ValueError) as missing:
    # Said as an event so that the recorder can tell the operator what to install.
    print(json.dumps({"event": "error", "element": None, "debug": str(missing),
                      "message": "GStreamer's Python bindings are missing: as root, "
                                 "apt-get install python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0"}), flush=True)
    sys.exit(1)

Gst.init(None)
loop = GLib.MainLoop()
pipeline = None
announced = False  # "ready" is sent once, the first time the pipeline plays
exit_code = 0
inputs = {}  # id -> (bin, request pad of the target element, target element)
counters = {}  # element name -> {"frames": n, "pts": last pts in ns}
dropped = {}  # element name -> dropped buffers reported by QoS messages
outputs = {}  # id -> {"bin": bin, "tee_pads": [...], "ending": bool}
KEYFRAME_REQUEST_GAP_S = 1.0


def emit(event, **fields):
    # One write per line so a reader never sees half an event.
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def fail(message, element=None, debug=None, input_id=None):
    emit("error", element=element, message=message, debug=debug, input=input_id)


def input_of(element):
    """The id of the input branch an element belongs to, if any."""
    bins = {branch: input_id for input_id, (branch, _pad, _target) in inputs.items()}
    while element is not None and element not in bins:
        element = element.get_parent()
    return bins.get(element)


def set_properties(target, properties):
    for name, value in properties.items():
        target.set_property(name, value)


def set_element_properties(container, by_name):
    # Names, paths and URLs arrive as properties, never inside descriptions, so
    # no user text is ever parsed as pipeline syntax.
    for name, properties in by_name.items():
        element = container.get_by_name(name)
        if element is None:
            raise ValueError(f"no element named {name}")
        set_properties(element, properties)


def count_buffers(name):
    element = pipeline.get_by_name(name)
    if element is None:
        raise ValueError(f"no element named {name} to count frames of")
    counter = counters[name] = {"frames": 0, "running": -1}

    def on_buffer(pad, info):
        # Running time, not the timestamp: encoders such as x264enc shift timestamps.
        segment = pad.get_sticky_event(Gst.EventType.SEGMENT, 0).parse_segment()
        counter["frames"] += 1
        counter["running"] = segment.to_running_time(Gst.Format.TIME, info.get_buffer().pts)
        return Gst.PadProbeReturn.OK

    element.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, on_buffer)


def report_stats():
    # Running time of the clock vs the last timestamp out: a growing lag means the
    # pipeline does not keep up with real time.
    clock = pipeline.get_clock()
    running = clock.get_time() - pipeline.get_base_time() if clock else 0
    emit("stats", runningTimeMs=running // 1_000_000,
         counters={name: {"frames": c["frames"], "lastRunningTimeMs": c["running"] // 1_000_000 if c["running"] >= 0 else None}
                   for name, c in counters.items()},
         dropped=dropped)
    return True


def output_of(element):
    """The id of the output an element belongs to, if any."""
    bins = {output["bin"]: output_id for output_id, output in outputs.items()}
    while element is not None and element not in bins:
        element = element.get_parent()
    return bins.get(element)


def all_of(iterator):
    """The items of a Gst.Iterator (not a Python iterable in Debian 12's bindings)."""
    items = []
    while True:
        result, item = iterator.next()
        if result == Gst.IteratorResult.RESYNC:
            iterator.resync()
            items.clear()
        elif result == Gst.IteratorResult.OK:
            items.append(item)
        else:
            return items


def in_pipeline(element):
    """False for an element of an output already taken out (its last messages may still be queued)."""
    while element is not None and element is not pipeline:
        element = element.get_parent()
    return element is pipeline


def cut_off(output):
    # From now on the tees drop what they would send to this output.
    for pad in output["tee_pads"]:
        pad.add_probe(Gst.PadProbeType.DATA_DOWNSTREAM, lambda _pad, _info: Gst.PadProbeReturn.DROP)


def on_sync_error(_bus, message):
    # Runs in the streaming thread that failed, before its error flows back up to
    # the tee: dropping at the tee from now on keeps the other outputs going.
    output_id = output_of(message.src)
    if output_id is None or len(outputs) < 2 or outputs[output_id]["ending"]:
        return
    outputs[output_id]["ending"] = True
    cut_off(outputs[output_id])
    GLib.idle_add(discard_output, output_id, "output-failed", message.parse_error()[0].message)


def discard_output(output_id, event, message=None):
    # Out of the pipeline entirely, or its sink would never see EOS and the end would wait for it.
    output = outputs.pop(output_id)
    for pad in output["tee_pads"]:
        pad.get_parent_element().release_request_pad(pad)
    output["bin"].set_state(Gst.State.NULL)
    pipeline.remove(output["bin"])
    if message is None:
        emit(event, id=output_id)
    else:
        emit(event, id=output_id, message=message)
    return False


def on_message(_bus, message):
    global announced, exit_code
    kind = message.type
    if kind == Gst.MessageType.ERROR and in_pipeline(message.src) and not outputs.get(output_of(message.src), {}).get("ending"):
        error, debug = message.parse_error()
        input_id = input_of(message.src)
        fail(error.message, message.src.get_name() if message.src else None, debug, input_id)
        if input_id is None:
            # The mixers, encoders or outputs failed: nothing more will be written.
            # Ending says so plainly (exit 1); the file stays playable up to its last fragment.
            pipeline.set_state(Gst.State.NULL)
            exit_code = 1
            loop.quit()
    elif kind == Gst.MessageType.EOS:
        pipeline.set_state(Gst.State.NULL)
        emit("eos-done")
        loop.quit()
    elif kind == Gst.MessageType.LATENCY:
        # Inputs added later may need more latency than the first ones did.
        pipeline.recalculate_latency()
    elif kind == Gst.MessageType.QOS:
        _format, _processed, lost = message.parse_qos_stats()
        name = message.src.get_name()
        dropped[name] = dropped.get(name, 0) + lost
    elif kind == Gst.MessageType.STATE_CHANGED and message.src == pipeline:
        _old, new, _pending = message.parse_state_changed()
        if new == Gst.State.PLAYING and not announced:
            announced = True
            emit("ready")
    return True


def create(command):
    global pipeline
    pipeline = Gst.parse_launch(command["description"])
    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)
    bus.enable_sync_message_emission()
    bus.connect("sync-message::error", on_sync_error)
    for name in command.get("count", []):
        count_buffers(name)
    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        fail("the pipeline did not start; see the errors above")
    GLib.timeout_add(command.get("statsInterval", 1000), report_stats)


def add_input(command):
    input_id = command["id"]
    if input_id in inputs:
        raise ValueError(f"input {input_id} exists already")
    # Only the output is ghosted: ghosting every unlinked pad would also expose
    # textoverlay's text_sink, and textoverlay then waits for text that never comes.
    branch = Gst.parse_bin_from_description(command["description"], False)
    branch.add_pad(Gst.GhostPad.new("src", branch.find_unlinked_pad(Gst.PadDirection.SRC)))
    set_element_properties(branch, command.get("properties", {}))
    target = pipeline.get_by_name(command["target"])
    if target is None:
        raise ValueError(f"no element named {command['target']} to connect input {input_id} to")
    pipeline.add(branch)
    sink_pad = target.request_pad_simple("sink_%u")
    set_properties(sink_pad, command.get("pad", {}))
    branch.get_static_pad("src").link(sink_pad)

    # Emitted from the main loop: stdout is written by one thread only.
    def announce_flowing():
        emit("input-flowing", id=input_id)
        return False

    def on_first_buffer(_pad, _info):
        GLib.idle_add(announce_flowing)
        return Gst.PadProbeReturn.REMOVE

    branch.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, on_first_buffer)

    # A depayloader or decoder that lost its place asks upstream for a keyframe; the
    # UDP source cannot answer, so the request is passed on to whoever sends the RTP,
    # at most once a second (a lossy stream asks dozens of times a second).
    last_request = {"at": -KEYFRAME_REQUEST_GAP_S}

    def announce_keyframe_wanted():
        emit("keyframe-wanted", id=input_id)
        return False

    def on_upstream_event(_pad, info):
        structure = info.get_event().get_structure()
        now = GLib.get_monotonic_time() / 1e6
        if structure is not None and structure.get_name() == "GstForceKeyUnit" and now - last_request["at"] >= KEYFRAME_REQUEST_GAP_S:
            last_request["at"] = now
            GLib.idle_add(announce_keyframe_wanted)
        return Gst.PadProbeReturn.OK

    for source in all_of(branch.iterate_sources()):
        source.get_static_pad("src").add_probe(Gst.PadProbeType.EVENT_UPSTREAM, on_upstream_event)
    branch.sync_state_with_parent()
    inputs[input_id] = (branch, sink_pad, target)
    emit("input-added", id=input_id)


def remove_input(command):
    input_id = command["id"]
    branch, sink_pad, target = inputs.pop(input_id)
    src_pad = branch.get_static_pad("src")

    # From now on the branch's data goes nowhere: once unlinked, a push would fail
    # with not-linked and end the whole pipeline with an error.
    src_pad.add_probe(Gst.PadProbeType.DATA_DOWNSTREAM, lambda _pad, _info: Gst.PadProbeReturn.DROP)

    # An IDLE probe runs once no buffer is being pushed (at once if none is), so the
    # mixer never sees a pad vanish mid-buffer; a BLOCK probe would wait forever
    # for a sender that has already stopped.
    def on_idle(_pad, _info):
        src_pad.unlink(sink_pad)
        target.release_request_pad(sink_pad)
        GLib.idle_add(finish)
        return Gst.PadProbeReturn.REMOVE

    # A bin cannot be stopped from its own streaming thread: do it from the main loop.
    def finish():
        branch.set_state(Gst.State.NULL)
        pipeline.remove(branch)
        emit("input-removed", id=input_id)
        return False

    src_pad.add_probe(Gst.PadProbeType.IDLE, on_idle)


def add_output(command):
    output_id = command["id"]
    if output_id in outputs:
        raise ValueError(f"output {output_id} exists already")
    branch = Gst.parse_bin_from_description(command["description"], False)
    set_element_properties(branch, command.get("properties", {}))
    pipeline.add(branch)
    links, video_pad = [], None
    for element_name, tee_name in command["feeds"].items():
        ghost = Gst.GhostPad.new(element_name, branch.get_by_name(element_name).get_static_pad("sink"))
        branch.add_pad(ghost)
        tee_pad = pipeline.get_by_name(tee_name).request_pad_simple("src_%u")
        links.append((tee_pad, ghost))
        if tee_name == "v":
            video_pad = tee_pad
    started = {"video": video_pad is None}

    # A muxer can only start from a keyframe: until the video tee passes one, this
    # output gets nothing (audio included, so that both start together).
    # Once open the gate goes away: a Python call per buffer costs the streaming threads.
    def gate(pad, info):
        if not started["video"]:
            if pad is not video_pad or info.get_buffer().has_flags(Gst.BufferFlags.DELTA_UNIT):
                return Gst.PadProbeReturn.DROP
            started["video"] = True
        return Gst.PadProbeReturn.REMOVE

    # Playing before it is linked: a tee pushing into a branch still starting gets
    # "flushing" back, which would stop the encoder's whole stream, every output with it.
    branch.sync_state_with_parent()
    for tee_pad, ghost in links:
        tee_pad.add_probe(Gst.PadProbeType.BUFFER, gate)
        tee_pad.link(ghost)
    if video_pad is not None:
        # Ask the encoder for a keyframe now rather than at the next interval.
        video_pad.send_event(Gst.Event.new_custom(Gst.EventType.CUSTOM_UPSTREAM,
                                                  Gst.Structure.new_from_string("GstForceKeyUnit, all-headers=(boolean)true")))
    outputs[output_id] = {"bin": branch, "tee_pads": [tee_pad for tee_pad, _ghost in links], "ending": False}
    # The latency the live mixers keep to was worked out from the sinks there were: include this one.
    pipeline.recalculate_latency()
    emit("output-added", id=output_id)


def remove_output(command):
    output_id = command["id"]
    output = outputs[output_id]
    if output["ending"]:
        return
    output["ending"] = True
    sinks = all_of(output["bin"].iterate_sinks())
    pending = set(sinks)

    # Done once every sink of the output has its end of stream: the muxer has written its last fragment.
    def on_event(pad, info):
        if info.get_event().type == Gst.EventType.EOS:
            pending.discard(pad.get_parent_element())
            if not pending:
                GLib.idle_add(discard_output, output_id, "output-removed")
            return Gst.PadProbeReturn.REMOVE
        return Gst.PadProbeReturn.OK

    for sink in sinks:
        sink.get_static_pad("sink").add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)
    cut_off(output)
    for pad in output["bin"].pads:
        pad.send_event(Gst.Event.new_eos())


def set_pad(command):
    set_properties(inputs[command["id"]][1], command["pad"])


def set_property(command):
    element = inputs[command["id"]][0].get_by_name(command["element"])
    if element is None:
        raise ValueError(f"input {command['id']} has no element named {command['element']}")
    set_properties(element, command["properties"])


def probe(command):
    emit("probed", present=[name for name in command["factories"] if Gst.ElementFactory.find(name)])


def end_of_stream(_command):
    # Every source ends its stream; the muxers then write their last fragment and
    # the EOS message arrives on the bus once every sink has it.
    pipeline.send_event(Gst.Event.new_eos())


HANDLERS = {"probe": probe, "create": create, "add-input": add_input, "remove-input": remove_input,
            "add-output": add_output, "remove-output": remove_output, "set-pad": set_pad, "set-property": set_property, "eos": end_of_stream}


def on_stdin(channel, _condition):
    line = channel.readline()
    if not line:
        # The recorder went away: nobody can stop us properly any more. The
        # fragmented file stays playable up to its last fragment.
        if pipeline:
            pipeline.set_state(Gst.State.NULL)
        loop.quit()
        return False
    try:
        command = json.loads(line)
        HANDLERS[command["cmd"]](command)
    except Exception as error:  # Reported, never fatal: one bad command must not end a recording.
        fail(f"{type(error).__name__}: {error}", debug=line.strip())
    return True


channel = GLib.IOChannel.unix_new(sys.stdin.fileno())
GLib.io_add_watch(channel, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_stdin)
loop.run()
sys.exit(exit_code)
