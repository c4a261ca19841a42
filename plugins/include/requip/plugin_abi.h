/* The requip skill plugin boundary: plain C, fixed-width types only, so that a plugin built
 * with any compiler or standard library can be loaded by the host.
 *
 * Names by role:
 *   requip_*           types and constants;
 *   on_*               hooks the plugin implements, reached through its descriptor;
 *   callback_*         calls into the host, reached through requip_host_api.
 *
 * Ownership is written on every pointer: "borrowed" means valid only for the duration of the
 * call (or as stated), "owned by X" says who frees it. No allocation changes hands: text
 * flows to the host through callback_text_set, which copies it.
 *
 * A plugin exports one symbol, REQUIP_PLUGIN_ENTRY_POINT, returning its descriptor. The host
 * checks the ABI version, the descriptor's size and the minimum host version before it calls
 * any hook. No hook may let an exception or a longjmp escape. */
#ifndef REQUIP_PLUGIN_ABI_H
#define REQUIP_PLUGIN_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A different major is refused; a minor newer than the host's is refused. A minor only
 * appends fields to the end of a struct, and each struct starts with its size: the host reads
 * a field only when the descriptor's size holds it, a plugin a callback only when the host
 * table's size does. A plugin built against an older minor loads unchanged.
 * 1.1: an instance is created per conversation, and the memento is kept per user: a space
 *      starting with "shared:" is shared by every user.
 * 1.2: follow-up questions: callback_ask_follow_up in the host table, on_follow_up at the end
 *      of the descriptor. */
#define REQUIP_PLUGIN_ABI_MAJOR 1
#define REQUIP_PLUGIN_ABI_MINOR 2
#define REQUIP_PLUGIN_ENTRY_POINT "requip_plugin_entry"

/* What a hook returns. On REQUIP_STATUS_FAILED the plugin has put the reason in the hook's
 * error text. */
typedef int32_t requip_status;
#define REQUIP_STATUS_OK 0
#define REQUIP_STATUS_FAILED 1

/* What an algorithm step returns besides its line. */
typedef int32_t requip_step_outcome;
#define REQUIP_STEP_CONTINUE 0
#define REQUIP_STEP_ABORT 1 /* the rest of the algorithm is abandoned */

/* Skill kinds a plugin may declare (aware skills stay in-process in ABI 1.x). */
typedef int32_t requip_skill_kind;
#define REQUIP_SKILL_REGULAR 0
#define REQUIP_SKILL_CONTINUOUS 1

/* A run of UTF-8 bytes, not NUL-terminated. data is borrowed for the duration of the call. */
typedef struct requip_string {
  const char* data;
  size_t size;
} requip_string;

/* Opaque to the plugin; owned by the host. */
typedef struct requip_host_context requip_host_context; /* one per skill instance, that is
                                                         * per conversation that uses it */
typedef struct requip_host_text requip_host_text;       /* a text the host reads after a hook */

/* Opaque to the host; owned by the plugin, freed by the matching on_*_destroy hook. */
typedef struct requip_plugin_instance requip_plugin_instance;
typedef struct requip_plugin_algorithm requip_plugin_algorithm;

/* What a stimulus carries; every string borrowed for the duration of the hook. */
typedef struct requip_stimulus {
  requip_string ear;
  requip_string skin;
  requip_string eye;
} requip_stimulus;

/* Filled by on_input / on_tick; owned by the host. Leaving algorithm NULL means "no answer".
 * A non-NULL algorithm becomes owned by the host, which frees it with on_algorithm_destroy. */
typedef struct requip_answer {
  requip_plugin_algorithm* algorithm;
  uint32_t steps;   /* how many times on_algorithm_step will be called, at most */
  int32_t priority; /* 1 (most urgent) to 5 */
} requip_answer;

/* One skill of the brain, as callback_skills reports it; strings borrowed for the call. */
typedef struct requip_skill_info {
  requip_string name;
  requip_string version;
  requip_string description;
  requip_string kind; /* "regular", "continuous" or "aware" */
} requip_skill_info;

/* Receivers the plugin passes to callbacks that hand it data. What they receive is borrowed
 * for the duration of the call: copy what you keep. user is the plugin's own pointer. */
typedef void (*requip_receive_string)(void* user, requip_string value);
typedef void (*requip_receive_skill)(void* user, const requip_skill_info* skill);

/* Calls into the host. The table is borrowed: it lives as long as any instance does. Host
 * callbacks never unwind into the plugin; one that fails returns false. They may be called
 * only from inside a hook, on the thread that runs it. */
typedef struct requip_host_api {
  uint32_t struct_size; /* sizeof(requip_host_api) as the host was built */
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* host_version; /* borrowed, static */

  /* Replaces the content of text with a copy of value. */
  void (*callback_text_set)(requip_host_text* text, requip_string value);

  /* The memento, namespaced by space (a skill's own space is its name). The host keeps a
   * space per user of the conversation; a space starting with "shared:" is seen by all. */
  /* Calls receive once with the value if the key exists. */
  bool (*callback_memento_get)(requip_host_context* context, requip_string space, requip_string key,
                               requip_receive_string receive, void* user);
  bool (*callback_memento_put)(requip_host_context* context, requip_string space, requip_string key,
                               requip_string value);
  bool (*callback_memento_erase)(requip_host_context* context, requip_string space,
                                 requip_string key, bool* existed_out);
  /* Calls receive once per key of space, sorted. */
  bool (*callback_memento_keys)(requip_host_context* context, requip_string space,
                                requip_receive_string receive, void* user);

  /* The emotion the brain shows. */
  bool (*callback_emotion_get)(requip_host_context* context, requip_receive_string receive,
                               void* user);
  bool (*callback_emotion_set)(requip_host_context* context, requip_string emotion);

  /* Calls receive once per skill the agent hosts, in the agent's order. */
  bool (*callback_skills)(requip_host_context* context, requip_receive_skill receive, void* user);

  /* Since 1.2. Asks for the conversation's next input: it goes to this skill's on_follow_up
   * with topic before any routing, unless it is feedback or "never mind", or comes after
   * timeout_ms (0: the host's default, 60 s unless configured). Call it from on_input or
   * on_follow_up, whose answer says the question; a later call replaces an earlier one. */
  bool (*callback_ask_follow_up)(requip_host_context* context, requip_string topic,
                                 uint32_t timeout_ms);
} requip_host_api;

/* What the entry point returns. Every pointer in it is borrowed from the plugin and stays
 * valid while the library is loaded. on_create and on_destroy are required, and so are the
 * two algorithm hooks when on_input or on_tick is set; any other hook may be NULL. */
typedef struct requip_plugin_descriptor {
  uint32_t struct_size; /* sizeof(requip_plugin_descriptor) as the plugin was built */
  uint16_t abi_major;
  uint16_t abi_minor;

  const char* name;            /* the skill's name: unique within a brain */
  const char* version;         /* the plugin's own version, e.g. "1.2.0" */
  const char* description;     /* one line: what the skill does */
  const char* const* examples; /* example_count utterances the skill answers */
  uint32_t example_count;
  const char* min_host_version; /* "major.minor.patch" of the oldest host it runs on */
  requip_skill_kind kind;

  /* Returns a new instance owned by the host until on_destroy, or NULL with error set.
   * host and context are borrowed and outlive the instance. */
  requip_plugin_instance* (*on_create)(const requip_host_api* host, requip_host_context* context,
                                       requip_host_text* error);
  void (*on_destroy)(requip_plugin_instance* instance);

  /* The host attached the skill to a brain / is detaching it. */
  requip_status (*on_attach)(requip_plugin_instance* instance, requip_host_text* error);
  requip_status (*on_detach)(requip_plugin_instance* instance, requip_host_text* error);

  /* May answer with an algorithm (see requip_answer). on_tick runs only for continuous
   * skills, while the brain has nothing else to do. */
  requip_status (*on_input)(requip_plugin_instance* instance, const requip_stimulus* stimulus,
                            requip_answer* answer, requip_host_text* error);
  requip_status (*on_tick)(requip_plugin_instance* instance, requip_answer* answer,
                           requip_host_text* error);

  /* Runs the next step. Sets *has_line and line when the step says something. */
  requip_status (*on_algorithm_step)(requip_plugin_algorithm* algorithm, requip_host_text* line,
                                     bool* has_line, requip_step_outcome* outcome,
                                     requip_host_text* error);
  void (*on_algorithm_destroy)(requip_plugin_algorithm* algorithm);

  /* State handed from an old instance to its replacement on a live swap. */
  requip_status (*on_save_state)(requip_plugin_instance* instance, requip_host_text* state,
                                 requip_host_text* error);
  requip_status (*on_restore_state)(requip_plugin_instance* instance, requip_string state,
                                    requip_host_text* error);

  /* Since 1.2; a 1.0 or 1.1 descriptor ends above. The next input after the skill called
   * callback_ask_follow_up, with the topic it gave (borrowed for the call). Answering takes
   * the input (see requip_answer); leaving answer->algorithm NULL declines it, and the host
   * routes the input as if nothing had been asked. Needs the two algorithm hooks. */
  requip_status (*on_follow_up)(requip_plugin_instance* instance, requip_string topic,
                                const requip_stimulus* stimulus, requip_answer* answer,
                                requip_host_text* error);
} requip_plugin_descriptor;

/* The descriptor's size in ABI 1.0 and 1.1, the smallest the host accepts. */
#define REQUIP_PLUGIN_DESCRIPTOR_SIZE_1_0 offsetof(requip_plugin_descriptor, on_follow_up)

/* The one exported symbol. Returns a descriptor borrowed from the plugin, or NULL. */
typedef const requip_plugin_descriptor* (*requip_plugin_entry_fn)(void);

#if defined(__GNUC__)
#define REQUIP_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define REQUIP_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
}
#endif

#endif /* REQUIP_PLUGIN_ABI_H */
