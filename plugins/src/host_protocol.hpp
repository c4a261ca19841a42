#pragma once

// The wire between an agent and a plugin host process (requip-plugin-host).
//
// The agent starts the host with the plugin's file and a number of channels: stream sockets
// the host finds open as descriptors 3, 4, ... Each channel carries one call at a time, so
// calls of different conversations run in parallel on different channels. The host's stdout
// and stderr are a pipe the agent logs: a plugin that prints cannot corrupt the protocol.
//
// A frame is a 4-byte little-endian length, then that many bytes of MessagePack: one map.
//
// Calls, agent to host, {"op": name, ...}; the host answers each with one map, except the
// two marked "no answer":
//   describe                          -> {ok, error} or {ok, name, version, description,
//                                         examples, min_host_version, kind, abi_major,
//                                         abi_minor, descriptor_size,
//                                         hooks: [hook names the plugin has]}
//   create        {instance}           -> {status, error}
//   destroy       {instance}           no answer
//   attach        {instance}           -> {status, error}
//   detach        {instance}           -> {status, error}
//   input         {instance, stimulus} -> {status, error, algorithm, steps, priority, first}
//   tick          {instance}           -> the same
//   follow_up     {instance, topic, stimulus} -> the same
//   step          {algorithm}          -> {status, error, line (when it says one), abort}
//   drop          {algorithm}          no answer
//   save_state    {instance}           -> {status, error, state}
//   restore_state {instance, state}    -> {status, error}
// A call for an attached instance also carries the conversation's emotion, {emotion}: the
// host answers the plugin's emotion_get from it. A stimulus is [ear, skin, eye]. Instances and
// algorithms are numbers the agent (instances) or the host (algorithms) chooses. An answer's first
// step has already run: `first` is its result, as `step` gives it. Its algorithm is 0 when nothing
// is left to run: one step, an abort, or a failure.
//
// While a call runs, the plugin's callbacks come back on the same channel as
// {"callback": name, ...}, each answered by the agent before the call's own answer arrives:
//   memento_get   {space, key}         -> {ok, value (when the key exists)}
//   memento_put   {space, key, value}  -> {ok}
//   memento_erase {space, key}         -> {ok, existed}
//   memento_keys  {space}              -> {ok, keys}
//   emotion_set   {emotion}            -> {ok}
//   skills                             -> {ok, skills: [[name, version, description, kind]]}
//   ask_follow_up {topic, timeout_ms}  -> {ok}
//
// The host exits when any channel closes: the agent dropped it, or the agent is gone.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

namespace requip::plugins::protocol {

using Message = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Larger frames are refused: a plugin's texts are lines and states, not bulk data.
constexpr std::uint32_t max_frame_bytes = 64u << 20;

// The first channel's descriptor in the host.
constexpr int first_channel_fd = 3;

// The host's exit status when an allocation failed at its memory limit.
constexpr int exit_out_of_memory = 86;

// How long either side polls awake for the next frame before it sleeps (see read_frame).
constexpr std::chrono::microseconds awake_between_calls{50};

// Writes one frame. False if the peer is gone.
bool write_frame(int fd, const Message& message);

enum class ReadEnd { read, closed, timed_out, malformed };

// Reads one frame into `message`, waiting until `deadline` when one is given. After a
// `malformed` frame nothing on the channel can be trusted. With `spin`, it polls without
// sleeping for that long first: an answer due within microseconds is then read without the
// cost of waking a sleeping thread, which on a virtual machine is most of a round trip.
ReadEnd read_frame(int fd, Message& message, std::optional<Clock::time_point> deadline = {},
                   std::chrono::microseconds spin = {});

}  // namespace requip::plugins::protocol
