// The table level as Promela (issue 8): the model `tcpmc explore --level
// table` searches, written out so that SPIN, a model checker nobody here
// wrote, can search the very same state space and judge the same
// invariants. Agreement on the number of reachable states, exactly, and on
// every verdict is the cross-check (verify/test/spin_agreement_test.cpp,
// tools/test/spin-cli-check).
//
// What comes from where:
//  - the rows of the Spec's table become the Promela `find_row`, one line a
//    row, in the Spec's order (the first matching row fires, as in
//    Spec::find); the Spec's policies (ISN, SYN payload, FIN, TIME-WAIT
//    length) become constants. One table drives this export as it drives
//    the engine, the explorer and the diagrams;
//  - the bounds become constants and the size of the network array;
//  - everything table::Stepper<S> does (table/system.hpp) is rendered by
//    hand below, function for function and in the same order: the moves
//    and their guards, the classifier of model/classify.hpp on the same
//    concrete image of the abstract numbers, what each Act does, what a
//    call transmits, the ghosts and the invariant judgements. Those are
//    written twice on purpose: a difference between the two renderings
//    shows up as a different state count or verdict.
//
// How SPIN is made to store the explorer's states, and only them:
//  - one process, whose loop head is the only stored control point: each
//    turn of the loop is `atomic { choose a move; d_step { apply it };
//    ... }`. The choice only sets hidden variables, and SPIN stores no
//    state inside an atomic sequence, so the stored states are exactly the
//    system states at the loop head, with the explorer's fields (hidden
//    variables are not part of SPIN's state vector). The move is chosen
//    before the d_steps so that the step's code appears once in the model,
//    not once per move (pan.c stays small and compiles in seconds), and
//    the step is cut into a few d_steps (the move, each phase of a call,
//    the end) because SPIN bounds the length of one d_step;
//  - the explorer's initial state is the zero-initialized Promela state,
//    except for what Promela initializers can give every element alike
//    (the retransmission timeout) and for the two control states, which
//    are two scalars so that the server can start in LISTEN. There is no
//    initialization step, so SPIN's first stored state is the explorer's;
//  - the network is sorted after every move, as the explorer sorts it,
//    so both store the same canonical multiset of segments;
//  - a move the explorer discards (a segment beyond the network's loss
//    bound) is undone: the d_step saves the state first and restores it,
//    which makes the move a self-loop that stores nothing new;
//  - the loop head is labelled `end`, so a state with no move enabled
//    (time and every bound used up) is a valid end state, as the explorer
//    takes it.
// States stored by SPIN and by the explorer are then equal, with nothing
// to subtract; transitions differ (SPIN counts the discarded moves as
// self-loops and its statistics count atomic steps apart).
//
// Invariants: a failed judgement records the first invariant breached in
// the move (the explorer's first-failure rule, restricted to the checked
// ones as Stepper::judge_only does) and the move ends with one assert per
// checked invariant, `assert(viol != <number>)`, numbered as
// verify::Invariant + 1 (the model's header lists them), so that SPIN's
// "assertion violated (viol!=5)" names the invariant. A discarded move
// judges nothing, as in the explorer.
//
// Liveness (PromelaOptions::liveness, `tcpmc export promela --liveness`):
// a second model, the same table level plus what the LTL formulas of
// explore/liveness_properties.hpp need to observe, one `ltl` block per
// property, `ltl NAME { FAIR_RUN -> property }`, checked by `pan -a -N
// NAME` (acceptance cycles). It must accept exactly the runs liveness.hpp
// judges:
//  - weak fairness: SPIN's own (-f) is per process and the model is one
//    process, so it is the premise FAIR_RUN. Per class c, the explorer's
//    "enabled from some point on => taken infinitely often" is GF A_c,
//    A_c = "c is not enabled here, or the move into here was of class c";
//    a sixth, A_5 = "not stuck where time ran out with a timer armed",
//    leaves out the runs the explorer sets aside as cut by the bounds;
//  - FAIR_RUN is GF A_0 && ... && GF A_5, but written as one GF: SPIN
//    6.5.2's translation grows exponentially with the GF conjuncts of a
//    premise (measured for `!((GF a && ...) -> G (p -> F q))`: 1 of them
//    0.05 s, 2 0.15 s, 3 3.0 s, 4 not done in 60 s). So the model counts
//    them, as a generalized Büchi condition is degeneralized: `fair_turn`
//    moves on past each A_c that holds, in order, and FAIR_RUN is
//    GF (fair_turn == FAIR_LAP), true iff every A_c holds infinitely often;
//  - A_c needs `en`, bit c: a move of class c is enabled *and not
//    discarded*, which takes running it. After each move the same turn
//    probes every fair move of the new state (runs it, undoes it, inside
//    the atomic sequence, so no probe state is stored or seen by the
//    claim), skipping classes already found; the initial state's first
//    turn only probes;
//  - a discarded move is a self-loop of class none; staying put is a move
//    of its own, enabled where no fair move is (`en == 0`): the explorer's
//    stutter at a final state, which SPIN would otherwise allow only where
//    no move at all is left;
//  - the premise of NoHalfOpen (no loss, no attacker) is a bound, applied
//    as the explorer applies it, so time is not enabled where it would
//    make a segment expire.
// `en` and `fair_turn` are ordinary variables, which is why this is a
// second model: pan matches states on its state vector, and the claim
// reads its propositions again after backtracking, so a hidden variable
// would hold whatever the last move run left there, and states the claim
// must tell apart would be merged. `en` is a function of the explorer's
// state; `fair_turn` is not, so the liveness model stores up to seven
// times the explorer's states, and each move costs one run per fair move
// of the probes. The safety model has none of this and no `ltl` block:
// its text, and with it SPIN's state counts, are what they were.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <tcpmc/core/user.hpp>
#include <tcpmc/model/spec.hpp>
#include <tcpmc/model/state.hpp>
#include <tcpmc/verify/explore/bounds.hpp>
#include <tcpmc/verify/explore/liveness_properties.hpp>
#include <tcpmc/verify/invariants.hpp>
#include <tcpmc/verify/table/system.hpp>

namespace tcpmc::verify::table {

struct PromelaOptions {
  // Judge this invariant alone (as `tcpmc explore --check`); nullopt: all.
  std::optional<Invariant> only;
  // Empty: the safety model. Otherwise the liveness model of these
  // properties (see the header comment): one `ltl` block each, no
  // assertions. They must share their bounds once their premise is applied
  // (explore::liveness_bounds), which become the model's.
  std::vector<explore::Liveness> liveness;
};

namespace promela_detail {

// Promela has no hexadecimal literals.
inline std::string hex(std::uint32_t v) { return std::to_string(v); }

inline std::uint32_t mask(model::StateSet set) {
  std::uint32_t m = 0;
  for (model::State s : model::kAllStates) {
    if (set.contains(s)) m |= 1U << static_cast<unsigned>(s);
  }
  return m;
}

inline std::string guard_expr(model::Guard g) {
  switch (g) {
    case model::Guard::Always: return "1";
    case model::Guard::OpenedPassively: return "gf_passive";
    case model::Guard::OpenedActively: return "!gf_passive";
    case model::Guard::RetriesLeft: return "gf_retries";
    case model::Guard::RetriesExhausted: return "!gf_retries";
    case model::Guard::RemoteSpecified: return "gf_remote";
    case model::Guard::RemoteUnspecified: return "!gf_remote";
  }
  return "0";
}

// The fields of each record, in declaration order (which is also the
// order operator<=> compares Segs in): the save/restore, copy and
// comparison code is generated from these lists.
inline constexpr std::string_view kSegFields[] = {
    "to_server", "flags", "seq_tag", "seq_off", "ack_tag",
    "ack_off",   "payload", "age",   "incarnation", "injected"};
inline constexpr std::string_view kEndFields[] = {
    "has_iss", "syn_acked", "fin_queued", "fin_sent", "peer_fin", "iss_tag", "snd_una",
    "snd_nxt", "snd_max", "queued", "irs_tag", "rcv_nxt", "rcv_adv", "queued_fin", "readable",
    "rbuf[0]", "rbuf[1]", "rbuf[2]", "retries", "rto", "rtx_left", "tw_left", "chal_age",
    "chal_count"};
inline constexpr std::string_view kGhostFields[] = {
    "incarnation", "peer_incarnation", "sent", "delivered", "time_wait_age",
    "closed",      "aborted",          "reset", "timed_out"};
// End's fields as Promela declares them; `state` and `passive` live apart
// (see the header comment).
static_assert(sizeof(End) == std::size(kEndFields) + 2);
static_assert(sizeof(Seg) == std::size(kSegFields));
static_assert(sizeof(Ghost) == std::size(kGhostFields));
static_assert(kBuffer == 3);  // rbuf[0..2] above

inline std::string copy_fields(std::string_view to, std::string_view from,
                               std::span<const std::string_view> fields) {
  std::string t;
  for (auto f : fields) {
    t += std::string(to) + "." + std::string(f) + " = " + std::string(from) + "." +
         std::string(f) + "; ";
  }
  return t;
}

// a < b for Segs, lexicographic in field order.
inline std::string seg_less(std::size_t i = 0) {
  const std::string f(kSegFields[i]);
  if (i + 1 == std::size(kSegFields)) return "(A." + f + " < B." + f + ")";
  return "(A." + f + " < B." + f + " || (A." + f + " == B." + f + " && " + seg_less(i + 1) +
         "))";
}

// --- The liveness model --------------------------------------------------------

// One option of Stepper::moves: its guard, the move and its index.
struct MoveOption {
  std::string guard;
  explore::Step step;
  unsigned index;
};

// The Promela name of a move: MV_<NAME>, numbered Step + 1 (0: none).
inline constexpr std::string_view kMoveNames[] = {
    "DELIVER",      "DROP",           "DUPLICATE",   "TICK",          "CLIENT_CONNECT",
    "CLIENT_SEND",  "CLIENT_CLOSE",   "CLIENT_ABORT", "SERVER_LISTEN", "SERVER_SEND",
    "SERVER_CLOSE", "SERVER_ABORT",   "INJECT"};
static_assert(std::size(kMoveNames) == static_cast<std::size_t>(explore::Step::Inject) + 1);

inline std::string move_name(explore::Step s) {
  return "MV_" + std::string(kMoveNames[static_cast<std::size_t>(s)]);
}

// The fairness class of a move as a Promela expression, asked of
// explore::fair_class itself (the explorer's definition) on two systems
// that differ only in where segment `index` goes; "" if the move is unfair.
inline std::string fair_class_expr(explore::Step step, unsigned index) {
  Sys to_client;
  Sys to_server;
  to_server.net[index].to_server = true;
  const explore::Move m{step, static_cast<std::uint8_t>(index)};
  const int c = explore::fair_class(to_client, m);
  const int v = explore::fair_class(to_server, m);
  if (c == explore::kUnfair && v == explore::kUnfair) return "";
  if (c == v) return std::to_string(c);
  return "(net[" + std::to_string(index) + "].to_server -> " + std::to_string(v) + " : " +
         std::to_string(c) + ")";
}

// Each property's premise P and goal Q (liveness_properties.hpp's
// response()) over the Promela state; an empty P is "always" (G F Q).
struct LivenessFormula {
  explore::Liveness property;
  std::string_view trigger;
  std::string_view goal;
};
inline constexpr std::array<LivenessFormula, explore::kLivenessCount> kLivenessFormulas = {{
    {explore::Liveness::NoHalfOpen, "",
     "!((IN(cstate, SET_OPEN) && IN(sstate, SET_NONE)) || "
     "(IN(sstate, SET_OPEN) && IN(cstate, SET_NONE)))"},
    {explore::Liveness::OpenSucceeds, "cstate == ST_SynSent && sstate == ST_Listen",
     "(IN(cstate, SET_ESTABLISHED_OR_LATER) && IN(sstate, SET_ESTABLISHED_OR_LATER)) || "
     "g[0].reset"},
    {explore::Liveness::NeverStuck, "", "cstate == ST_Closed && IN(sstate, SET_NONE)"},
    {explore::Liveness::SynReceivedResolves, "sstate == ST_SynReceived",
     "sstate != ST_SynReceived"},
}};

static_assert([] {
  for (std::size_t i = 0; i < explore::kLivenessCount; ++i) {
    if (kLivenessFormulas[i].property != explore::kAllLiveness[i]) return false;
  }
  return true;
}());

// What the liveness model adds to the safety model, placeholder by
// placeholder (see kBody); all empty for the safety model, which is then
// the text it always was.
struct LivenessText {
  std::string decls;        // after the working variables
  std::string inlines;      // after the last macro the probes use
  std::string move_class;   // in the move's first d_step
  std::string choose;       // the loop head's choice (and the probe loop's opening)
  std::string end_of_move;  // the move's last d_step
  std::string calls_done;   // after a move's calls
  std::string probe_close;  // the probe loop's end
  std::string ltl;          // after the process
};

inline LivenessText liveness_text(std::span<const explore::Liveness> properties,
                                  std::span<const MoveOption> moves, const std::string& options,
                                  const std::string& restore, const std::string& asserts) {
  LivenessText t;
  if (properties.empty()) {
    t.choose = "       if\n" + options + "\n       fi;";
    t.end_of_move = "         if\n         :: invalid ->\n" + restore +
                    "\n         :: else ->\n" + asserts + "\n         fi;\n         mv = 0; mi = 0";
    return t;
  }
  const std::string lap = std::to_string(explore::kFairClassCount + 1);
  t.decls =
      "\n\n/* ---- Liveness: what the formulas observe, so part of the state --------- */\n\n"
      "byte en;                      /* bit c: fair class c has a move here that is not\n"
      "                                 discarded (a function of the other variables) */\n"
      "byte fair_turn = UNPROBED;    /* the fairness counter (count_fairness) */\n"
      "hidden byte probing;          /* the move being made is a probe, undone at its end */\n"
      "hidden byte pk;               /* the next fair move to probe */\n"
      "hidden byte mclass;           /* the move's fair class + 1; 0: unfair */\n"
      "hidden byte taken;            /* mclass of the move that led here; 0: none (unfair,\n"
      "                                 discarded, or staying put) */\n"
      "/* The conditions the fairness counter counts: for a fair class c\n"
      "   (explore::FairClass), c not enabled or just taken:";
  for (unsigned c = 0; c < explore::kFairClassCount; ++c) {
    t.decls += "\n     " + std::to_string(c) + " " + std::string(explore::kFairClassNames[c]);
  }
  t.decls += "\n   then " + std::to_string(explore::kFairClassCount) +
             ": not stuck where time ran out with a timer armed. */";

  std::string klass = "inline move_class() {\n  if\n";
  std::string probe;
  unsigned probes = 0;
  for (const MoveOption& m : moves) {
    const std::string c = fair_class_expr(m.step, m.index);
    if (c.empty()) continue;
    const std::string is = "mv == " + move_name(m.step) +
                           (m.step == explore::Step::Deliver ? " && mi == " + std::to_string(m.index)
                                                             : "");
    klass += "  :: " + is + " -> mclass = " + c + " + 1\n";
    probe += "     :: pk == " + std::to_string(probes++) + " && (" + m.guard + ") && ((en >> " +
             c + ") & 1) == 0 ->\n        mv = " + move_name(m.step) +
             "; mi = " + std::to_string(m.index) + "\n";
  }
  klass += "  :: else -> mclass = 0\n  fi\n}\n";
  t.inlines =
      "\n\n/* ---- Liveness: probing what a state enables ------------------------------- */\n\n"
      "/* explore::fair_class: deliveries to each side, each side's user, time */\n" +
      klass +
      "\n/* The next fair move to try from state `en` describes, in Stepper::moves's\n"
      "   order, skipping classes already found enabled; mv = 0 when none is left. */\n"
      "inline next_probe() {\n  mv = 0; mi = 0;\n  do\n  :: mv != 0 || pk == " +
      std::to_string(probes) + " -> break\n  :: else ->\n     if\n" + probe +
      "     :: else\n     fi;\n     pk++\n  od;\n"
      "  skip   /* where the loop's break lands: inside the caller's d_step */\n}";

  // The run's weak fairness, GF A_0 && ... && GF A_5, counted in the
  // model (see the header comment): A_c, for a class c, is "c is not
  // enabled here or the move that led here was of class c"; A_5 is "not
  // stuck where time ran out with a timer armed".
  t.inlines +=
      "\n\n#define TIMER_ARMED (e[0].rtx_left != 0 || e[0].tw_left != 0 || "
      "e[1].rtx_left != 0 || e[1].tw_left != 0)\n"
      "#define FAIR_LAP " + lap + "\n"
      "#define FAIR_HOLDS(c) ((c) == FAIR_LAP - 1 -> !(en == 0 && TIMER_ARMED) : \\\n"
      "  (((en >> (c)) & 1) == 0 || taken == (c) + 1))\n"
      "/* A round-robin counter over A_0 .. A_5: it moves on past each A_c that\n"
      "   holds, in order, and reaches FAIR_LAP when all did since the last lap,\n"
      "   so every A_c holds infinitely often iff fair_turn == FAIR_LAP does. */\n"
      "inline count_fairness() {\n"
      "  if :: fair_turn >= FAIR_LAP -> fair_turn = 0 :: else fi;\n"
      "  do\n"
      "  :: fair_turn < FAIR_LAP && FAIR_HOLDS(fair_turn) -> fair_turn++\n"
      "  :: else -> break\n"
      "  od;\n"
      "  skip   /* where the loop's break lands: inside the caller's d_step */\n"
      "}";

  t.move_class = " move_class();";
  // A new state's first turn (only the initial state's) probes it; every
  // other turn makes a move, or stays put where no fair move is left (the
  // explorer's stutter), then probes the state the move led to. The loop
  // runs the same move code for the move made and for each probe.
  t.choose = "       if\n"
             "       :: fair_turn == UNPROBED ->\n"
             "          d_step { taken = 0; en = 0; probing = 1; pk = 0; next_probe() }\n"
             "       :: else ->\n"
             "          if\n" +
             options +
             "       :: en == 0 -> mv = 0; taken = 0   /* nothing fair left: stay here */\n"
             "          fi;\n"
             "          probing = 0\n"
             "       fi;\n"
             "       do\n"
             "       :: mv == 0 -> break\n"
             "       :: else ->";
  t.end_of_move = "         /* a probe, or a discarded move, leaves the state as it was */\n"
                  "         if\n         :: probing || invalid ->\n" +
                  restore +
                  "\n         :: else\n         fi;\n"
                  "         if\n"
                  "         :: probing -> if :: !invalid -> en = en | (1 << (mclass - 1)) :: else fi\n"
                  "         :: else -> taken = (invalid -> 0 : mclass); en = 0; probing = 1; pk = 0\n"
                  "         fi;\n"
                  "         next_probe()";
  // SPIN refuses a loop whose exit lands on a d_step inside another loop
  // ("jump into d_step sequence"): a plain statement goes first.
  t.calls_done = "\n       ncalls = 0;   /* not a d_step: see the loop around */";
  t.probe_close =
      "\n       od;\n"
      "       probing = 0;   /* not a d_step: the same */\n"
      "       d_step { count_fairness() }";

  t.ltl = "\n/* ---- Liveness properties (explore/liveness_properties.hpp) ---------------- */\n\n"
          "/* The run is weakly fair and is not one the bounds cut. */\n"
          "#define FAIR_RUN ([]<> (fair_turn == FAIR_LAP))\n";
  for (const explore::Liveness p : properties) {
    const LivenessFormula& f = kLivenessFormulas[static_cast<std::size_t>(p)];
    t.ltl += "ltl " + std::string(explore::name(p)) + " { FAIR_RUN -> " +
             (f.trigger.empty() ? "[]<> (" + std::string(f.goal) + ")"
                                : "[] ((" + std::string(f.trigger) + ") -> <> (" +
                                      std::string(f.goal) + "))") +
             " }\n";
  }
  return t;
}

inline std::string seg_equal() {
  std::string t;
  for (auto f : kSegFields) {
    t += std::string(t.empty() ? "" : " && ") + "A." + std::string(f) + " == B." + std::string(f);
  }
  return "(" + t + ")";
}

// The part of the model that is the same for every Spec and bounds: the
// table level's semantics, rendered from table::Stepper. Placeholders
// (@NAME@) are filled in by promela().
inline constexpr std::string_view kBody = R"PML(
/* ---- Records ---------------------------------------------------------- */

/* A segment in flight (table/system.hpp Seg). Flags: 1 SYN, 2 ACK, 4 FIN,
   8 RST. */
typedef Seg {
  byte to_server; byte flags; byte seq_tag; byte seq_off; byte ack_tag;
  byte ack_off; byte payload; byte age; byte incarnation; byte injected
};

/* One endpoint (End), but for its control state and `passive`, which are
   the scalars cstate/sstate and cpassive/spassive below. */
typedef End {
  byte has_iss; byte syn_acked; byte fin_queued; byte fin_sent; byte peer_fin;
  byte iss_tag; byte snd_una; byte snd_nxt; byte snd_max; byte queued;
  byte irs_tag; byte rcv_nxt; byte rcv_adv; byte queued_fin; byte readable;
  byte rbuf[3]; byte retries; byte rto = RTO_INIT; byte rtx_left; byte tw_left;
  byte chal_age; byte chal_count
};

/* The ghost state the invariants are judged on (explore::Ghost). */
typedef Ghost {
  byte incarnation; byte peer_incarnation; byte sent; byte delivered;
  byte time_wait_age; bool closed; bool aborted; bool reset; bool timed_out
};

/* ---- The state: exactly table::Sys's fields ----------------------------- */

byte cstate = INIT_CLIENT_STATE;   /* client.state */
byte sstate = INIT_SERVER_STATE;   /* server.state */
byte cpassive = INIT_CLIENT_PASSIVE;
byte spassive = INIT_SERVER_PASSIVE;
End e[2];                          /* [0] client, [1] server */
Seg net[B_IN_FLIGHT];              /* sorted; slots past in_flight are zero */
byte in_flight;
byte elapsed;
byte iss_at[2] = NEVER;            /* client_iss_at, server_iss_at */
byte iss_last[2];                  /* client_iss, server_iss */
byte injections;
byte losses;
byte duplicates;
byte aborts;
Ghost g[2];                        /* cg, sg */
byte from_client[MAX_INCARNATIONS];

/* ---- Working variables of one move: not part of the state --------------- */

hidden byte mv;          /* the move chosen at the loop head... */
hidden byte mi;          /* ...and its index (segment, or attacker's how) */
hidden byte viol;        /* invariant breached in this move, + 1 (0: none) */
hidden byte invalid;     /* the move is discarded */
hidden byte floor_;      /* NewIncarnation: the next ISS is above the old */
hidden byte cs;          /* the side a call is made on: 0 client, 1 server */
hidden byte ncalls;      /* calls left in this move */
hidden byte uev;         /* a user call's event */
hidden byte ph;          /* phase of a call: 0, 1 events, 2 transmit and RECEIVE */
hidden byte fire_now;
hidden byte judged;
hidden byte ev;          /* the event fired */
hidden byte inc_on;      /* a segment is arriving (Stepper::incoming_)... */
hidden Seg inc;          /* ...this one */
hidden byte fs_on;       /* the fired row has a segment... */
hidden Seg fs;           /* ...this one */
hidden Seg out;          /* a segment being sent */
hidden Seg tmp;
hidden byte owed_ack;    /* Stepper::Owed */
hidden byte owed_rst;
hidden Seg rst;
hidden byte signals;
/* the row found */
hidden byte rfound; hidden byte rfires; hidden byte rto_; hidden int racts; hidden int rrow;
hidden byte rfrom; hidden byte rto2;
hidden byte gf_passive; hidden byte gf_retries; hidden byte gf_remote;
/* the classifier's view */
hidden byte cst; hidden byte decided; hidden byte f_syn; hidden byte f_ack;
hidden byte f_fin; hidden byte f_rst; hidden byte fin; hidden byte acks_fin;
hidden byte rep_fin; hidden byte ack_refused;
hidden int s_seq; hidden int s_ack; hidden int s_len; hidden int n_iss;
hidden int n_una; hidden int n_nxt; hidden int n_irs; hidden int n_rcv;
hidden int wnd;
/* scratch */
hidden int t1; hidden int t2; hidden int t3; hidden int acked; hidden int x_n; hidden int x_unsent;
hidden byte a; hidden byte k; hidden byte rk; hidden byte dk; hidden byte si; hidden byte sj;
hidden byte pass; hidden byte bval; hidden byte tag;
hidden byte may_take; hidden byte sent_data;
@SAVE_DECLS@

/* ---- Numbers -------------------------------------------------------------- */

/* The concrete image of an abstract number (table::number): tags 2^20
   apart, a miss half a circle away (0x90000000 as a signed 32-bit int).
   All images lie within 2^31 of each other, so the modular comparisons of
   model/seq.hpp are the signs of plain differences. */
#define NUM(t, o) ((t) == MISS_TAG -> MISS_BASE + (o) : ((t) << 20) + (o))
#define BEFORE(x, y) ((y) - (x) > 0)
#define AFTER(x, y) ((x) - (y) > 0)
#define BEFORE_EQ(x, y) ((y) - (x) >= 0)
#define AFTER_EQ(x, y) ((x) - (y) >= 0)
#define IN_WINDOW(x, l, n) (AFTER_EQ(x, l) && BEFORE(x, (l) + (n)))
/* model/rules.hpp segment_acceptable */
#define ACCEPTABLE(q, n, r, w) (((n) == 0 && (w) == 0 && (q) == (r)) || \
  ((n) == 0 && (w) != 0 && IN_WINDOW(q, r, w)) || \
  ((n) != 0 && (w) != 0 && (IN_WINDOW(q, r, w) || IN_WINDOW((q) + (n) - 1, r, w))))
#define IN(st, set) ((((set) >> (st)) & 1) != 0)
#define ST(s) ((s) == 0 -> cstate : sstate)
#define PASSIVE(s) ((s) == 0 -> cpassive : spassive)
#define OFFERED(s) (e[s].rcv_adv > e[s].rcv_nxt -> e[s].rcv_adv - e[s].rcv_nxt : 0)
#define MAY_SEND(st) ((st) == ST_Established || (st) == ST_CloseWait || (st) == ST_LastAck)
/* explore::byte_value */
#define BYTE_VALUE(from_server, inc, i) (((from_server) -> 128 : 0) | (((inc) & 15) << 3) | ((i) & 7))
#define SEG_LESS(A, B) @SEG_LESS@
#define SEG_EQUAL(A, B) @SEG_EQUAL@

inline set_state(s, v) { if :: s == 0 -> cstate = v :: else -> sstate = v fi }
inline set_passive(s, v) { if :: s == 0 -> cpassive = v :: else -> spassive = v fi }
inline copy_seg(D, S) { @COPY_SEG@ }
inline clear_seg(D) { @CLEAR_SEG@ }

inline fail(i) {
  if :: viol == 0 && ((CHECKED >> i) & 1) -> viol = i + 1 :: else fi
}

/* ---- The network ---------------------------------------------------------- */

inline add(P) {
  if
  :: in_flight < B_IN_FLIGHT -> copy_seg(net[in_flight], P); in_flight++
  :: else -> invalid = 1  /* beyond the loss bound, as the explorer */
  fi
}

inline remove(i) {
  rk = i;
  do
  :: rk + 1 < in_flight -> copy_seg(net[rk], net[rk + 1]); rk++
  :: else -> break
  od;
  in_flight--;
  clear_seg(net[in_flight])
}

/* The explorer sorts the network after every move: the same canonical
   order (Seg's operator<=>, field by field), by insertion. */
inline sort_net() {
  si = 1;
  do
  :: si < in_flight ->
     sj = si;
     do
     :: sj > 0 && SEG_LESS(net[sj], net[sj - 1]) ->
        copy_seg(tmp, net[sj]); copy_seg(net[sj], net[sj - 1]); copy_seg(net[sj - 1], tmp);
        sj--
     :: else -> break
     od;
     si++
  :: else -> break
  od
}

/* ---- Endpoints ------------------------------------------------------------ */

inline fresh(s) {   /* Stepper::fresh */
  set_state(s, ST_Closed); set_passive(s, 0);
  e[s].has_iss = 0; e[s].syn_acked = 0; e[s].fin_queued = 0; e[s].fin_sent = 0;
  e[s].peer_fin = 0; e[s].iss_tag = 0; e[s].snd_una = 0; e[s].snd_nxt = 0;
  e[s].snd_max = 0; e[s].queued = 0; e[s].irs_tag = 0; e[s].rcv_nxt = 0;
  e[s].rcv_adv = 0; e[s].queued_fin = 0; e[s].readable = 0; e[s].rbuf[0] = 0;
  e[s].rbuf[1] = 0; e[s].rbuf[2] = 0; e[s].retries = 0; e[s].rto = RTO_INIT;
  e[s].rtx_left = 0; e[s].tw_left = 0; e[s].chal_age = 0; e[s].chal_count = 0
}

inline fresh_ghost(s, n) {   /* Ghost::fresh */
  g[s].incarnation = n; g[s].peer_incarnation = 0; g[s].sent = 0;
  g[s].delivered = 0; g[s].time_wait_age = 0; g[s].closed = 0;
  g[s].aborted = 0; g[s].reset = 0; g[s].timed_out = 0
}

/* Stepper::advertised_window, then advertise */
inline advertise(s) {
  t1 = KBUF - e[s].readable;
  t2 = OFFERED(s);
  e[s].rcv_adv = e[s].rcv_nxt + (t1 >= t2 + 1 -> t1 : t2)
}

inline sent_octets(s) {   /* into t3 */
  t1 = (e[s].syn_acked != 0 -> e[s].snd_una : e[s].snd_una + 1);
  t3 = (e[s].snd_nxt > t1 -> e[s].snd_nxt - t1 : 0)
}

/* the octet a segment carries (Stepper::byte_of), into bval */
inline byte_of(P) {
  if
  :: P.injected != 0 -> bval = ATTACKER_BYTE
  :: else -> bval = BYTE_VALUE(P.to_server == 0, P.incarnation, P.seq_off + (P.flags & 1) - 1)
  fi
}

/* ---- Invariants ----------------------------------------------------------- */

inline new_iss(s) {
  if
  :: iss_at[s] != NEVER && elapsed > iss_at[s] && e[s].iss_tag == iss_last[s] -> fail(INV_IsnUnique)
  :: else
  fi;
  iss_last[s] = e[s].iss_tag;
  iss_at[s] = elapsed
}

inline deliver_byte(s, b) {
  if :: b == ATTACKER_BYTE -> fail(INV_NoInjectionAccepted) :: else fi;
  if
  :: b != BYTE_VALUE(s == 0, g[s].peer_incarnation, g[s].delivered) -> fail(INV_NoOldDuplicateAccepted)
  :: else
  fi;
  if
  :: s == 1 && ((b >> 3) & 15) < MAX_INCARNATIONS ->
     if
     :: from_client[(b >> 3) & 15] > (b & 7) -> fail(INV_NoOldDuplicateAccepted)
     :: else
     fi;
     if
     :: from_client[(b >> 3) & 15] < (b & 7) + 1 -> from_client[(b >> 3) & 15] = (b & 7) + 1
     :: else
     fi
  :: else
  fi;
  g[s].delivered++
}

/* Stepper::closed: an orderly close must deliver everything, and not reset */
inline closed_judge() {
  if
  :: g[cs].closed && g[1 - cs].closed && !g[cs].aborted && !g[1 - cs].aborted &&
     !g[cs].timed_out && !g[1 - cs].timed_out &&
     g[1 - cs].incarnation == g[cs].peer_incarnation && g[cs].peer_incarnation != 0 ->
     if
     :: ev == EV_RstExact -> fail(INV_NothingLost)
     :: else ->
        if
        :: (ev == EV_AckOfFin || ev == EV_FinAckOfFin || ev == EV_TimeWaitTimeout) &&
           g[cs].delivered != g[1 - cs].sent -> fail(INV_NothingLost)
        :: else
        fi
     fi
  :: else
  fi
}

inline judge_row() {
  if
  :: ((racts >> ACT_AcceptSyn) & 1) && inc_on ->
     g[cs].peer_incarnation = inc.incarnation;
     if
     :: cs == 1 ->
        new_iss(1);
        g[1].incarnation++; g[1].delivered = 0; g[1].sent = 0; g[1].closed = 0
     :: else
     fi
  :: else
  fi;
  if
  :: rfrom == ST_TimeWait && rto2 == ST_Closed && g[cs].time_wait_age < 2 * B_MSL ->
     fail(INV_TimeWaitLasts2Msl)
  :: else
  fi;
  if :: inc_on && inc.injected != 0 && rto2 != rfrom -> fail(INV_NoInjectionAccepted) :: else fi;
  if :: (racts >> ACT_StartTimeWait) & 1 -> g[cs].time_wait_age = 0 :: else fi;
  if
  :: cs == 1 && rto2 == ST_Established && rfrom != rto2 &&
     !(g[0].incarnation == g[1].peer_incarnation && cstate != ST_Closed && cstate != ST_Listen) ->
     fail(INV_NoPhantomConnection)
  :: else
  fi;
  if :: rto2 == ST_Closed && rfrom != rto2 -> closed_judge() :: else fi
}

inline check_agreement() {
  if
  :: cstate == ST_Established && sstate == ST_Established &&
     g[0].incarnation == g[1].peer_incarnation &&
     (e[0].iss_tag != e[1].irs_tag || e[0].irs_tag != e[1].iss_tag) -> fail(INV_HandshakeAgreement)
  :: else
  fi
}

/* ---- The classifier (model/classify.hpp), on fs and e[cs], into ev ------- */

inline classify() {
  cst = ST(cs);
  f_syn = (fs.flags & 1) != 0; f_ack = (fs.flags & 2) != 0;
  f_fin = (fs.flags & 4) != 0; f_rst = (fs.flags & 8) != 0;
  s_seq = NUM(fs.seq_tag, fs.seq_off);
  s_ack = NUM(fs.ack_tag, fs.ack_off);
  s_len = fs.payload + f_syn + f_fin;
  n_iss = NUM(e[cs].iss_tag, 0);
  n_una = NUM(e[cs].iss_tag, e[cs].snd_una);
  n_nxt = NUM(e[cs].iss_tag, e[cs].snd_max);   /* the highest sent */
  n_irs = NUM(e[cs].irs_tag, 0);
  n_rcv = NUM(e[cs].irs_tag, e[cs].rcv_nxt);
  wnd = OFFERED(cs);
  decided = 0;
  if
  :: cst == ST_Closed || cst == ST_Listen ->   /* 3.10.7.1, 3.10.7.2 */
     ev = (f_rst -> EV_RstOutOfWindow : (f_ack -> EV_AckUnacceptable : (f_syn -> EV_Syn : EV_Stray)))
  :: cst == ST_SynSent ->                      /* 3.10.7.3 */
     if
     :: f_ack && !(BEFORE(n_iss, s_ack) && BEFORE_EQ(s_ack, n_nxt)) ->
        ev = (f_rst -> EV_RstOutOfWindow : EV_AckUnacceptable)
     :: else ->
        ev = (f_rst -> (f_ack -> EV_RstExact : EV_RstOutOfWindow) :
              (f_syn -> (f_ack -> EV_SynAck : EV_Syn) : EV_Stray))
     fi
  :: else ->                                   /* 3.10.7.4 */
     if
     :: cst == ST_TimeWait && f_syn && !f_ack && !f_rst && AFTER(s_seq, n_rcv) ->
        ev = EV_SynNewerInTimeWait; decided = 1
     :: else
     fi;
     if
     :: !decided && f_rst ->
        decided = 1;
        ev = (s_seq == n_rcv -> EV_RstExact :
              (IN_WINDOW(s_seq, n_rcv, wnd) -> EV_RstInWindow : EV_RstOutOfWindow))
     :: else
     fi;
     if
     :: !decided && f_syn ->
        decided = 1;
        if
        :: cst == ST_SynReceived && !f_ack && s_seq == n_irs -> ev = EV_Syn
        :: else ->
           ev = (cst == ST_SynReceived && !ACCEPTABLE(s_seq, s_len, n_rcv, wnd) ->
                 EV_Unacceptable : EV_SynInSynchronized)
        fi
     :: else
     fi;
     rep_fin = f_fin && IN(cst, SET_PEER_FIN_RECEIVED) && s_seq + fs.payload + f_syn + 1 == n_rcv;
     ack_refused = wnd == 0 && f_ack && s_seq == n_rcv;
     if
     :: !decided && !rep_fin && !ack_refused && !ACCEPTABLE(s_seq, s_len, n_rcv, wnd) ->
        ev = EV_Unacceptable; decided = 1
     :: else
     fi;
     if :: !decided && !f_ack -> ev = EV_Stray; decided = 1 :: else fi;
     if
     :: !decided ->
        fin = rep_fin || (f_fin && BEFORE_EQ(s_seq, n_rcv) &&
                          IN_WINDOW(s_seq + fs.payload + f_syn, n_rcv, wnd));
        if
        :: cst == ST_SynReceived ->
           ev = (!(BEFORE(n_una, s_ack) && BEFORE_EQ(s_ack, n_nxt)) -> EV_AckUnacceptable :
                 (fin -> EV_Fin : EV_AckOfSyn))
        :: else ->
           if
           :: !(AFTER_EQ(s_ack, n_una - MAX_SEND_WINDOW) && BEFORE_EQ(s_ack, n_nxt)) ->
              ev = EV_AckUnacceptable
           :: else ->
              acks_fin = IN(cst, SET_OUR_FIN_SENT) && e[cs].fin_sent != 0 && n_una != n_nxt &&
                         s_ack == n_nxt;
              ev = (fin && acks_fin -> EV_FinAckOfFin :
                    (acks_fin -> EV_AckOfFin : (fin -> EV_Fin : EV_Ack)))
           fi
        fi
     :: else
     fi
  fi
}

/* ---- What the table's actions do (Stepper::perform) --------------------- */

inline choose_iss() {
  if
  :: floor_ -> tag = FLOOR_TAG + elapsed; floor_ = 0
  :: else -> tag = (ISN_ZERO -> ZERO_TAG : CLOCK_TAG + elapsed)
  fi;
  e[cs].iss_tag = tag; e[cs].snd_una = 0; e[cs].snd_nxt = 0; e[cs].snd_max = 1;
  e[cs].has_iss = 1; e[cs].syn_acked = 0
}

inline accept_syn() {
  e[cs].irs_tag = fs.seq_tag;
  e[cs].rcv_nxt = fs.seq_off + 1;
  e[cs].rcv_adv = e[cs].rcv_nxt;
  advertise(cs);
  if
  :: SYN_DELIVER && fs.payload != 0 && e[cs].readable < KBUF ->
     byte_of(fs); e[cs].rbuf[e[cs].readable] = bval; e[cs].readable++; e[cs].rcv_nxt++
  :: else
  fi
}

inline process_ack() {
  t1 = NUM(fs.ack_tag, fs.ack_off);
  if
  :: AFTER(t1, NUM(e[cs].iss_tag, e[cs].snd_una)) && BEFORE_EQ(t1, NUM(e[cs].iss_tag, e[cs].snd_max)) ->
     acked = fs.ack_off - e[cs].snd_una;
     if :: e[cs].syn_acked == 0 -> acked--; e[cs].syn_acked = 1 :: else fi;
     if :: e[cs].fin_sent != 0 && fs.ack_off == e[cs].snd_max -> acked-- :: else fi;
     if :: acked < 0 -> acked = 0 :: acked > e[cs].queued -> acked = e[cs].queued :: else fi;
     e[cs].queued = e[cs].queued - acked;
     e[cs].snd_una = fs.ack_off;
     if :: e[cs].snd_nxt < e[cs].snd_una -> e[cs].snd_nxt = e[cs].snd_una :: else fi;
     e[cs].retries = 0;
     e[cs].rtx_left = (e[cs].snd_una == e[cs].snd_max -> 0 : e[cs].rto)
  :: else
  fi
}

inline process_text() {
  owed_ack = 1;
  if
  :: NUM(fs.seq_tag, fs.seq_off) == NUM(e[cs].irs_tag, e[cs].rcv_nxt) && OFFERED(cs) > 0 &&
     e[cs].readable < KBUF ->
     byte_of(fs); e[cs].rbuf[e[cs].readable] = bval; e[cs].readable++; e[cs].rcv_nxt++
  :: else
  fi
}

inline process_segment() {
  if :: (fs.flags & 2) != 0 -> process_ack() :: else fi;
  may_take = (fs.flags & 1) == 0 && (IN(rfrom, SET_MAY_RECEIVE) || rfrom == ST_SynReceived);
  if :: may_take && fs.payload != 0 -> process_text() :: else fi;
  if
  :: (fs.flags & 4) != 0 && may_take ->
     t1 = NUM(fs.seq_tag, fs.seq_off + fs.payload);
     t2 = NUM(e[cs].irs_tag, e[cs].rcv_nxt);
     if
     :: (ev == EV_Fin || ev == EV_FinAckOfFin) && t1 == t2 ->
        e[cs].rcv_nxt++; e[cs].peer_fin = 1; e[cs].queued_fin = 0
     :: !(ev == EV_Fin || ev == EV_FinAckOfFin) && AFTER(t1, t2) ->
        e[cs].queued_fin = fs.seq_off + fs.payload + 1
     :: !(ev == EV_Fin || ev == EV_FinAckOfFin) && !AFTER(t1, t2) -> owed_ack = 1
     :: else
     fi
  :: else
  fi
}

inline deliver() {
  dk = 0;
  do
  :: dk < e[cs].readable -> deliver_byte(cs, e[cs].rbuf[dk]); dk++
  :: else -> break
  od;
  e[cs].readable = 0; e[cs].rbuf[0] = 0; e[cs].rbuf[1] = 0; e[cs].rbuf[2] = 0
}

/* RFC 9293 3.5.2: a reset the offending segment's sender accepts */
inline reset_for() {
  clear_seg(rst);
  rst.to_server = (cs == 1 -> 0 : 1);
  rst.flags = 8;
  rst.incarnation = g[cs].incarnation;
  if
  :: !fs_on -> rst.seq_tag = e[cs].iss_tag; rst.seq_off = e[cs].snd_max
  :: fs_on && (fs.flags & 2) != 0 -> rst.seq_tag = fs.ack_tag; rst.seq_off = fs.ack_off
  :: else ->
     rst.flags = rst.flags | 2;
     rst.seq_tag = MISS_TAG;
     rst.ack_tag = fs.seq_tag;
     rst.ack_off = fs.seq_off + fs.payload + (fs.flags & 1) + ((fs.flags >> 2) & 1)
  fi;
  owed_rst = 1
}

inline perform() {
  if
  :: a == ACT_NewIncarnation -> fresh(cs); set_passive(cs, 1); floor_ = 1
  :: a == ACT_AcceptSyn -> accept_syn()
  :: a == ACT_ProcessSegment -> process_segment()
  :: a == ACT_QueueData -> if :: e[cs].queued < KBUF -> e[cs].queued++ :: else fi
  :: a == ACT_Deliver -> deliver()
  :: a == ACT_SendSyn -> set_passive(cs, 0); choose_iss()
  :: a == ACT_SendSynAck ->
     if :: rfrom == ST_Listen || rfrom == ST_TimeWait -> choose_iss() :: else fi;
     e[cs].snd_nxt = 0
  :: a == ACT_SendAck -> owed_ack = 1
  :: a == ACT_SendFin ->
     e[cs].fin_queued = 1;
     if
     :: FIN_IMMEDIATE -> sent_octets(cs); if :: e[cs].queued > t3 -> e[cs].queued = t3 :: else fi
     :: else
     fi
  :: a == ACT_SendRst -> reset_for()
  :: a == ACT_SendChallengeAck ->   /* RFC 5961 7: one per window of 4 ticks */
     if :: e[cs].chal_age == 0 || e[cs].chal_age == 5 -> e[cs].chal_age = 1; e[cs].chal_count = 0 :: else fi;
     if :: e[cs].chal_count < 1 -> e[cs].chal_count++; owed_ack = 1 :: else fi
  :: a == ACT_Retransmit ->         /* RFC 6298 5.4 to 5.6 */
     e[cs].retries++;
     e[cs].rto = (2 * e[cs].rto < RTO_MAX -> 2 * e[cs].rto : RTO_MAX);
     e[cs].snd_nxt = e[cs].snd_una;
     e[cs].rtx_left = e[cs].rto
  :: a == ACT_CancelTimers -> e[cs].rtx_left = 0
  :: a == ACT_StartTimeWait -> e[cs].tw_left = TW_TICKS
  :: a == ACT_SignalReset -> signals = signals | SIG_RESET
  :: a == ACT_SignalRefused -> signals = signals | SIG_REFUSED
  :: a == ACT_SignalTimedOut -> signals = signals | SIG_TIMED_OUT
  :: a == ACT_DeleteTcb -> fresh(cs)
  :: else   /* signals nobody judges, and the calls' failure answers */
  fi
}

/* ---- The table ------------------------------------------------------------ */

/* Spec::find: the first row for (state, event) whose guard holds. One
   expression per event, a row a line, first match first; a row is the
   number ROW(fires, to, acts): found (bit 29), fires (28), its target
   (bits 24 to 27, STAY for none) and its acts (a bit each). */
#define ROW(f, t, x) ((1 << 29) | ((f) << 28) | ((t) << 24) | (x))
inline find_row() {
  @FIND_ROW@;
  rfound = (rrow >> 29) & 1;
  rfires = (rrow >> 28) & 1;
  rto_ = (rrow >> 24) & 15;
  racts = rrow & 16777215
}

/* Stepper::fire: look up, perform the row's acts in their order, move,
   judge */
inline fire() {
  cst = ST(cs);
  gf_passive = PASSIVE(cs) != 0;
  gf_retries = e[cs].retries < RETRY_LIMIT;
  gf_remote = cst != ST_Listen;
  find_row();
  if
  :: !rfound || !rfires -> fail(INV_StatesFollowTable)
  :: else ->
     rfrom = cst;
     rto2 = (rto_ == STAY -> cst : rto_);
     a = 0;
     do
     :: a < ACT_COUNT -> if :: (racts >> a) & 1 -> perform() :: else fi; a++
     :: else -> break
     od;
     set_state(cs, rto2);
     if
     :: rto2 != rfrom ->
        if :: rto2 == ST_Listen -> set_passive(cs, 1) :: else fi;
        if :: rto2 == ST_TimeWait -> e[cs].queued = 0 :: else fi
     :: else
     fi;
     if :: judged -> judge_row() :: else fi
  fi
}

/* ---- What a call sends (Stepper::transmit) -------------------------------- */

inline segment() {
  clear_seg(out);
  out.to_server = (cs == 1 -> 0 : 1);
  out.incarnation = g[cs].incarnation
}

inline send() {
  if
  :: (out.flags & 1) != 0 && out.payload != 0 && !SYN_DELIVER -> fail(INV_NoDataOnSyn)
  :: else
  fi;
  add(out)
}

inline transmit_ack() {
  segment();
  out.flags = 2;
  out.seq_tag = e[cs].iss_tag; out.seq_off = e[cs].snd_nxt;
  out.ack_tag = e[cs].irs_tag; out.ack_off = e[cs].rcv_nxt;
  advertise(cs);
  owed_ack = 0;
  send()
}

inline transmit_syn() {
  segment();
  out.flags = 1;
  out.seq_tag = e[cs].iss_tag;
  if
  :: ST(cs) != ST_SynSent ->
     out.flags = 3; out.ack_tag = e[cs].irs_tag; out.ack_off = e[cs].rcv_nxt
  :: else
  fi;
  advertise(cs);
  e[cs].snd_nxt = 1;
  if
  :: SYN_DELIVER && ST(cs) == ST_SynSent && e[cs].queued > 0 ->
     out.payload = 1; e[cs].snd_nxt = 2;
     if :: e[cs].snd_max < 2 -> e[cs].snd_max = 2 :: else fi
  :: else
  fi;
  owed_ack = 0;
  if :: e[cs].rtx_left == 0 -> e[cs].rtx_left = e[cs].rto :: else fi;
  send()
}

/* one octet at a time within the peer's window, the FIN on the last */
inline transmit_data() {
  sent_octets(cs);
  x_unsent = e[cs].queued - (t3 < e[cs].queued -> t3 : e[cs].queued);
  t1 = e[cs].snd_nxt - e[cs].snd_una;                      /* in flight */
  t2 = (KBUF > t1 -> KBUF - t1 : 0);                       /* usable */
  if :: x_unsent > 0 && t2 == 0 && e[cs].rtx_left == 0 -> e[cs].rtx_left = e[cs].rto :: else fi;
  x_n = (x_unsent < t2 -> x_unsent : t2); x_n = (x_n < 1 -> x_n : 1);
  fin = e[cs].fin_queued != 0 && x_n == x_unsent &&
        (e[cs].fin_sent == 0 || e[cs].snd_nxt + x_n < e[cs].snd_max);
  sent_data = x_n != 0 || fin;
  if
  :: sent_data ->
     segment();
     out.flags = (fin -> 6 : 2);
     out.seq_tag = e[cs].iss_tag; out.seq_off = e[cs].snd_nxt;
     out.ack_tag = e[cs].irs_tag; out.ack_off = e[cs].rcv_nxt;
     out.payload = x_n;
     advertise(cs);
     e[cs].snd_nxt = e[cs].snd_nxt + x_n + fin;
     if :: fin -> e[cs].fin_sent = 1 :: else fi;
     if :: e[cs].snd_max < e[cs].snd_nxt -> e[cs].snd_max = e[cs].snd_nxt :: else fi;
     owed_ack = 0;
     if :: e[cs].rtx_left == 0 -> e[cs].rtx_left = e[cs].rto :: else fi;
     send()
  :: else
  fi
}

/* each pass sends one segment or stops */
inline transmit() {
  pass = 0;
  do
  :: pass >= 2 * KBUF + 4 -> break
  :: else ->
     pass++;
     if
     :: owed_rst -> copy_seg(out, rst); owed_rst = 0; send()
     :: !owed_rst && e[cs].has_iss != 0 && e[cs].syn_acked == 0 && e[cs].snd_nxt == 0 ->
        transmit_syn()
     :: else ->
        if
        :: ST(cs) == ST_SynSent -> break
        :: ST(cs) == ST_SynReceived ->
           if :: !owed_ack -> break :: else -> transmit_ack() fi
        :: else ->
           sent_data = 0;
           if :: IN(ST(cs), SET_SYNCHRONIZED) -> transmit_data() :: else fi;
           if
           :: !sent_data -> if :: owed_ack -> transmit_ack() :: else -> break fi
           :: else
           fi
        fi
     fi
  od
}

inline signal_user() {
  if :: (signals & (SIG_RESET | SIG_REFUSED | SIG_TIMED_OUT)) != 0 -> g[cs].reset = 1 :: else fi;
  if :: (signals & SIG_TIMED_OUT) != 0 -> g[cs].timed_out = 1 :: else fi;
  signals = 0
}

/* ---- Time and the attacker ------------------------------------------------- */

inline tick_network() {
  k = 0;
  do
  :: k < in_flight ->
     net[k].age++;
     if
     :: net[k].age > B_MSL ->
        if :: losses >= B_LOSSES -> invalid = 1 :: else fi;
        losses++;
        remove(k)   /* the next one is at k now */
     :: else -> k++
     fi
  :: else -> break
  od;
  if :: g[0].time_wait_age < 2 * B_MSL -> g[0].time_wait_age++ :: else fi;
  if :: g[1].time_wait_age < 2 * B_MSL -> g[1].time_wait_age++ :: else fi;
  if :: e[0].chal_age != 0 && e[0].chal_age < 5 -> e[0].chal_age++ :: else fi;
  if :: e[1].chal_age != 0 && e[1].chal_age < 5 -> e[1].chal_age++ :: else fi;
  elapsed++
}

/* the attacker's guess of the ISS chosen at tick `at` (Stepper::guess) */
#define GUESS(at) ((at) == NEVER -> MISS_TAG : \
  (ISN_POLICY == ISN_CLOCK -> CLOCK_TAG + (at) : \
   (ISN_POLICY == ISN_ZERO_POLICY -> ((at) == 0 -> ZERO_TAG : MISS_TAG) : MISS_TAG)))@LIVENESS_INLINES@

/* ---- The system ------------------------------------------------------------ */

active proctype tcp() {
end:
  do
  :: atomic {
@CHOOSE@
       d_step {
@SAVE@
         viol = 0; invalid = 0; inc_on = 0; ncalls = 0;@MOVE_CLASS@
         /* the move itself; then the calls it makes on endpoints */
         if
         :: mv == MV_DELIVER ->
            copy_seg(inc, net[mi]); remove(mi); inc_on = 1; cs = inc.to_server; ncalls = 1
         :: mv == MV_DROP -> remove(mi); losses++
         :: mv == MV_DUPLICATE -> copy_seg(tmp, net[mi]); add(tmp); duplicates++
         :: mv == MV_TICK -> tick_network(); cs = 0; ncalls = 2
         :: mv == MV_CLIENT_CONNECT ->
            fresh_ghost(0, g[0].incarnation + 1); cs = 0; uev = EV_OpenActive; ncalls = 1
         :: mv == MV_CLIENT_SEND -> g[0].sent++; cs = 0; uev = EV_Send; ncalls = 1
         :: mv == MV_CLIENT_CLOSE -> g[0].closed = 1; cs = 0; uev = EV_Close; ncalls = 1
         :: mv == MV_CLIENT_ABORT ->
            g[0].aborted = 1; aborts++; cs = 0; uev = EV_Abort; ncalls = 1
         :: mv == MV_SERVER_LISTEN ->
            fresh_ghost(1, g[1].incarnation); cs = 1; uev = EV_OpenPassive; ncalls = 1
         :: mv == MV_SERVER_SEND -> g[1].sent++; cs = 1; uev = EV_Send; ncalls = 1
         :: mv == MV_SERVER_CLOSE -> g[1].closed = 1; cs = 1; uev = EV_Close; ncalls = 1
         :: mv == MV_SERVER_ABORT ->
            g[1].aborted = 1; aborts++; cs = 1; uev = EV_Abort; ncalls = 1
         :: mv == MV_INJECT ->   /* mi: 1 to the server, 2 data */
            clear_seg(inc);
            inc.to_server = mi & 1;
            inc.injected = 1;
            inc.seq_tag = ((mi & 1) != 0 -> GUESS(iss_at[0]) : GUESS(iss_at[1]));
            inc.seq_off = 1;
            if
            :: (mi & 2) != 0 ->
               inc.flags = 2;
               inc.ack_tag = ((mi & 1) != 0 -> GUESS(iss_at[1]) : GUESS(iss_at[0]));
               inc.ack_off = 1;
               inc.payload = 1
            :: else -> inc.flags = 8
            fi;
            injections++;
            inc_on = 1; cs = inc.to_server; ncalls = 1
         fi
       };
       /* Stepper::call, once per call: the call's events (phases 0 and 1),
          then what it transmits, the signals and the user's RECEIVE (phase
          2). Several d_steps, as SPIN bounds the length of one; no state
          inside the atomic sequence is stored. */
       do
       :: ncalls == 0 -> break
       :: else ->
          owed_ack = 0; owed_rst = 0; signals = 0; ph = 0;   /* not d_steps: SPIN does
                                                                 not let a loop jump to one */
          do
          :: ph == 3 -> break
          :: else ->
             d_step {
               fire_now = 0; judged = 1; fs_on = 0;
               if
               :: ph == 2 ->
                  transmit(); signal_user();
                  ev = EV_Receive; judged = 0; fire_now = 1
               :: ph == 0 && mv == MV_TICK ->
                  if
                  :: e[cs].tw_left != 0 ->
                     if
                     :: e[cs].tw_left <= 1 -> e[cs].tw_left = 0; ev = EV_TimeWaitTimeout; fire_now = 1
                     :: else -> e[cs].tw_left--
                     fi
                  :: else
                  fi
               :: ph == 1 && mv == MV_TICK ->
                  if
                  :: e[cs].rtx_left != 0 ->
                     if
                     :: e[cs].rtx_left <= 1 -> e[cs].rtx_left = 0; ev = EV_RetransmissionTimeout; fire_now = 1
                     :: else -> e[cs].rtx_left--
                     fi
                  :: else
                  fi
               :: ph == 0 && inc_on -> copy_seg(fs, inc); fs_on = 1; classify(); fire_now = 1
               :: ph == 1 && inc_on ->
                  /* a FIN kept behind a hole, once the hole is filled */
                  if
                  :: e[cs].queued_fin != 0 && e[cs].queued_fin - 1 == e[cs].rcv_nxt &&
                     IN(ST(cs), SET_SYNCHRONIZED) ->
                     clear_seg(fs);
                     fs.to_server = inc.to_server; fs.flags = 6;
                     fs.seq_tag = e[cs].irs_tag; fs.seq_off = e[cs].rcv_nxt;
                     fs.ack_tag = e[cs].iss_tag; fs.ack_off = e[cs].snd_una;
                     fs.incarnation = inc.incarnation;
                     e[cs].queued_fin = 0;
                     fs_on = 1; classify(); fire_now = 1
                  :: else
                  fi
               :: ph == 0 && mv != MV_TICK && !inc_on -> ev = uev; fire_now = 1
               :: else
               fi
             };
             d_step { if :: fire_now -> fire() :: else fi; ph++ }
          od;
          ncalls--; cs = 1   /* a tick's second call is the server's */
       od;@CALLS_DONE@
       d_step {
         if :: mv == MV_CLIENT_CONNECT -> new_iss(0) :: else fi;
         sort_net();
         if :: viol == 0 -> check_agreement() :: else fi;
@END_OF_MOVE@
       }@PROBE_CLOSE@
     }
  od
}
)PML";

}  // namespace promela_detail

// The Promela model of the table level for Spec `spec` and `bounds`.
// Throws std::invalid_argument if the bounds are not usable
// (Bounds::validate) or the Spec's initial state could not be written as
// Promela initial values (see below).
inline std::string promela(const model::Spec& spec, const Bounds& requested,
                           const PromelaOptions& options = {}) {
  namespace d = promela_detail;
  using model::Act;
  using model::Event;
  using model::State;
  // The liveness properties' premise, applied as `tcpmc explore --liveness`
  // applies it: the model's bounds are the properties' bounds.
  Bounds bounds = requested;
  if (!options.liveness.empty()) {
    bounds = explore::liveness_bounds(options.liveness.front(), requested);
    for (const explore::Liveness p : options.liveness) {
      if (explore::liveness_bounds(p, requested).describe() != bounds.describe()) {
        throw std::invalid_argument(
            std::string(explore::name(p)) + " and " +
            std::string(explore::name(options.liveness.front())) +
            " are checked with different bounds (NoHalfOpen assumes no loss and no attacker): "
            "export them apart, or with --losses 0 --injections 0");
      }
    }
  }
  if (auto problem = bounds.validate()) throw std::invalid_argument(*problem);
  if (bounds.max_states != 0) {
    throw std::invalid_argument("max-states has no Promela equivalent: export without it");
  }

  // Stepper::initial: the server's user calls OPEN (passive) on CLOSED.
  // The row's target becomes the initial value; a row with actions would
  // need a step to run them, which the export does not have (so that
  // SPIN's first stored state is the explorer's): refuse it.
  const model::Row* open = spec.find(State::Closed, Event::OpenPassive, {});
  if (open == nullptr || !open->fires() || !open->acts.empty()) {
    throw std::invalid_argument("the Spec's CLOSED x OPEN (passive) row has actions; the export "
                                "writes the initial state as Promela initial values");
  }
  // ...and then RECEIVE, which must do nothing either.
  const State server0 = open->to.resolve(State::Closed);
  const model::Row* receive = spec.find(server0, Event::Receive, {.opened_passively = true,
                                                                   .retries_left = true,
                                                                   .remote_specified = false});
  if (receive == nullptr || !receive->acts.empty() || !receive->to.is_stay()) {
    throw std::invalid_argument("the Spec's RECEIVE in the server's first state is not a no-op");
  }

  std::ostringstream o;
  o << "/* tcpmc table-level model, exported by `tcpmc export promela`.\n"
    << "   Spec: " << spec.name() << "\n"
    << "   Bounds: " << bounds.describe() << "\n"
    << "   Invariants checked (assert(viol != N)):";
  std::uint32_t checked = 0;
  for (Invariant i : kAllInvariants) {
    if (options.only && i != *options.only) continue;
    if (!options.liveness.empty()) continue;  // the liveness model asserts nothing
    checked |= 1U << static_cast<unsigned>(i);
    o << " " << static_cast<unsigned>(i) + 1 << "=" << name(i);
  }
  if (options.liveness.empty()) {
    o << "\n   Run: spin -a model.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan -m1000000\n"
      << "   SPIN's \"states, stored\" is the explorer's states stored for the same\n"
      << "   bounds (tcpmc explore --level table). */\n\n";
  } else {
    o << " none (the liveness model)\n   Liveness properties (ltl):";
    for (const explore::Liveness p : options.liveness) o << " " << explore::name(p);
    o << "\n   Run: spin -a model.pml && gcc -O2 -o pan pan.c && ./pan -a -m1000000 -N NAME\n"
      << "   An acceptance cycle is a weakly fair run that breaks NAME: tcpmc explore\n"
      << "   --level table --liveness NAME gives the same verdict for the same flags.\n"
      << "   A state is the explorer's with `en` and the fairness counter `fair_turn`,\n"
      << "   so pan stores more states than the explorer (four times as many, at most,\n"
      << "   on the liveness catalog's bounds). */\n\n";
  }

  const auto def = [&](std::string_view n, auto v) { o << "#define " << n << " " << v << "\n"; };
  o << "/* ---- Bounds (explore::Bounds) ---- */\n";
  def("B_IN_FLIGHT", unsigned{bounds.in_flight});
  def("B_LOSSES", unsigned{bounds.losses});
  def("B_DUPLICATES", unsigned{bounds.duplicates});
  def("B_MSL", unsigned{bounds.msl});
  def("B_TICKS", unsigned{bounds.ticks});
  def("B_BYTES", unsigned{bounds.bytes});
  def("B_RECONNECTS", unsigned{bounds.reconnects});
  def("B_ABORTS", unsigned{bounds.aborts});
  def("B_INJECTIONS", unsigned{bounds.injections});

  o << "\n/* ---- The Spec's policies ---- */\n";
  def("ISN_KEYED", 0);
  def("ISN_CLOCK", 1);
  def("ISN_ZERO_POLICY", 2);
  def("ISN_POLICY", spec.isn == model::IsnPolicy::ClockPlusKeyedHash ? 0
                    : spec.isn == model::IsnPolicy::Clock            ? 1
                                                                     : 2);
  def("ISN_ZERO", spec.isn == model::IsnPolicy::Zero ? 1 : 0);
  def("SYN_DELIVER", spec.syn_payload == model::SynPayload::Deliver ? 1 : 0);
  def("FIN_IMMEDIATE", spec.fin == model::FinPolicy::Immediately ? 1 : 0);
  def("TW_TICKS", std::max(1U, spec.time_wait_msl * bounds.msl));

  o << "\n/* ---- Constants of the table level (table/system.hpp) ---- */\n";
  using Table = Stepper<model::kRfc9293>;  // its constants do not depend on the Spec
  def("RTO_INIT", unsigned{Table::rto_initial(bounds)});
  def("RTO_MAX", unsigned{Table::rto_maximum(bounds)});
  def("RETRY_LIMIT", Table::kRetryLimit);
  def("KBUF", unsigned{kBuffer});
  def("MAX_SEND_WINDOW", kMaxSendWindow);
  def("MISS_TAG", unsigned{kMissTag});
  def("ZERO_TAG", unsigned{kZeroTag});
  def("CLOCK_TAG", unsigned{kClockTag});
  def("FLOOR_TAG", unsigned{kFloorTag});
  def("MISS_BASE", static_cast<std::int32_t>(number(kMissTag, 0).raw()));
  def("NEVER", unsigned{Sys::kNever});
  def("ATTACKER_BYTE", unsigned{explore::kAttackerByte});
  def("MAX_INCARNATIONS", explore::kMaxIncarnations);
  def("STAY", 15);
  const auto sig = [](core::UserEvent e) { return 1U << static_cast<unsigned>(e); };
  def("SIG_RESET", sig(core::UserEvent::Reset));
  def("SIG_REFUSED", sig(core::UserEvent::Refused));
  def("SIG_TIMED_OUT", sig(core::UserEvent::TimedOut));
  def("CHECKED", d::hex(checked));
  if (!options.liveness.empty()) {
    def("UNPROBED", 255);  // fair_turn of the initial state, not probed yet
    def("SET_NONE", d::hex(d::mask(explore::liveness_sets::kNone)));
    def("SET_OPEN", d::hex(d::mask(explore::liveness_sets::kOpen)));
    def("SET_ESTABLISHED_OR_LATER", d::hex(d::mask(model::states::kEstablishedOrLater)));
  }

  o << "\n/* ---- Names of the model (model/state.hpp, event.hpp, action.hpp) ---- */\n";
  for (State s : model::kAllStates) def("ST_" + std::string(model::name(s)), unsigned(s));
  for (Event e : model::kAllEvents) def("EV_" + std::string(model::name(e)), unsigned(e));
  for (Act a : model::kAllActs) def("ACT_" + std::string(model::name(a)), unsigned(a));
  def("ACT_COUNT", model::kActCount);
  for (Invariant i : kAllInvariants) def("INV_" + std::string(name(i)), unsigned(i));
  def("SET_SYNCHRONIZED", d::hex(d::mask(model::states::kSynchronized)));
  def("SET_PEER_FIN_RECEIVED", d::hex(d::mask(model::states::kPeerFinReceived)));
  def("SET_OUR_FIN_SENT", d::hex(d::mask(model::states::kOurFinSent)));
  def("SET_MAY_RECEIVE", d::hex(d::mask(model::states::kMayReceive)));
  def("INIT_CLIENT_STATE", "ST_Closed");
  def("INIT_SERVER_STATE", "ST_" + std::string(model::name(server0)));
  def("INIT_CLIENT_PASSIVE", 0);
  def("INIT_SERVER_PASSIVE", server0 == State::Listen ? 1 : 0);
  for (unsigned m = 0; m < std::size(d::kMoveNames); ++m) {
    def(d::move_name(static_cast<explore::Step>(m)), m + 1);
  }

  // The table, grouped by event (rows of other events never match), each
  // event's rows in the Spec's order, so the first match is Spec::find's.
  static_assert(model::kActCount <= 24 && model::kStateCount < 15);
  std::string rows;
  for (Event e : model::kAllEvents) {
    std::string group;
    std::size_t n = 0;
    for (const model::Row& r : spec.rows()) {
      if (r.event != e) continue;
      std::uint32_t acts = 0;
      std::string names;
      for (Act a : model::kAllActs) {
        if (!r.acts.contains(a)) continue;
        acts |= 1U << static_cast<unsigned>(a);
        if (!names.empty()) names += ',';
        names += model::name(a);
      }
      group += "       (IN(cst, " + d::hex(d::mask(r.from)) + ") && " +
               d::guard_expr(r.guard) + " -> ROW(" + (r.fires() ? "1" : "0") + ", " +
               (r.to.is_stay() ? std::string("STAY")
                               : "ST_" + std::string(model::name(r.to.state()))) +
               ", " + d::hex(acts) + ") :";
      group += "  /* ";
      group += r.section;
      if (!names.empty()) group += " " + names;
      group += " */\n";
      ++n;
    }
    if (n == 0) continue;
    rows += "  :: ev == EV_" + std::string(model::name(e)) + " -> rrow =\n" + group + "       0" +
            std::string(n, ')') + "\n";
  }
  std::string find_row = "if\n" + rows + "  :: else -> rrow = 0\n  fi";

  // The moves, in Stepper::moves's order, each guarded as there.
  using explore::Step;
  std::string mv;
  std::vector<d::MoveOption> moves_enabled;  // the same options, for the liveness probes
  const auto option = [&](const std::string& guard, Step step, std::optional<unsigned> index = {}) {
    mv += "       :: " + guard + " -> mv = " + d::move_name(step) +
          (index ? "; mi = " + std::to_string(*index) : "") + "\n";
    moves_enabled.push_back({guard, step, index.value_or(0)});
  };
  for (unsigned i = 0; i < bounds.in_flight; ++i) {
    const std::string n = std::to_string(i);
    // A segment equal to the one before it is the same move (the explorer
    // skips it).
    const std::string distinct =
        i == 0 ? "" : " && !SEG_EQUAL(net[" + n + "], net[" + std::to_string(i - 1) + "])";
    option("in_flight > " + n + distinct, Step::Deliver, i);
    option("in_flight > " + n + distinct + " && losses < B_LOSSES", Step::Drop, i);
    option("in_flight > " + n + distinct +
               " && duplicates < B_DUPLICATES && in_flight < B_IN_FLIGHT",
           Step::Duplicate, i);
  }
  option("elapsed < B_TICKS", Step::Tick);
  option("cstate == ST_Closed && g[0].incarnation < 1 + B_RECONNECTS && g[0].incarnation < " +
             std::to_string(explore::kMaxIncarnations - 1) +
             " && (iss_at[0] == NEVER || elapsed > iss_at[0])",
         Step::ClientConnect);
  option("(MAY_SEND(cstate) || (SYN_DELIVER && cstate == ST_SynSent)) && g[0].sent < B_BYTES && "
         "!g[0].closed",
         Step::ClientSend);
  option("MAY_SEND(cstate) && g[0].sent == B_BYTES && !g[0].closed", Step::ClientClose);
  option("aborts < B_ABORTS && cstate != ST_Closed", Step::ClientAbort);
  option("sstate == ST_Closed && (iss_at[1] == NEVER || elapsed > iss_at[1])",
         Step::ServerListen);
  option("MAY_SEND(sstate) && g[1].sent < B_BYTES && !g[1].closed", Step::ServerSend);
  option("MAY_SEND(sstate) && g[1].sent == B_BYTES && !g[1].closed", Step::ServerClose);
  option("aborts < B_ABORTS && sstate != ST_Closed && sstate != ST_Listen", Step::ServerAbort);
  for (const bool to_server : {false, true}) {
    const std::string st = to_server ? "sstate" : "cstate";
    const std::string reachable = "injections < B_INJECTIONS && " + st + " != ST_Closed && " + st +
                             " != ST_Listen && " + st + " != ST_SynSent";
    option(reachable, Step::Inject, to_server ? 1U : 0U);
    option(reachable, Step::Inject, to_server ? 3U : 2U);
  }

  // Saving and restoring the state, for a discarded move.
  const char* scalars[] = {"cstate",     "sstate",      "cpassive",   "spassive",
                           "in_flight",  "elapsed",     "iss_at[0]",  "iss_at[1]",
                           "iss_last[0]", "iss_last[1]", "injections", "losses",
                           "duplicates", "aborts"};
  std::vector<std::string> sc(std::begin(scalars), std::end(scalars));
  for (std::size_t i = 0; i < explore::kMaxIncarnations; ++i) {
    sc.push_back("from_client[" + std::to_string(i) + "]");
  }
  const std::string decls = "hidden End e_sv[2]; hidden Seg net_sv[B_IN_FLIGHT]; hidden Ghost g_sv[2];\n"
          "hidden byte sc_sv[" + std::to_string(sc.size()) + "];";
  std::string save = "         ";
  std::string restore = "            ";
  for (const char* side : {"0", "1"}) {
    save += d::copy_fields("e_sv[" + std::string(side) + "]", "e[" + std::string(side) + "]",
                           d::kEndFields);
    save += d::copy_fields("g_sv[" + std::string(side) + "]", "g[" + std::string(side) + "]",
                           d::kGhostFields);
    restore += d::copy_fields("e[" + std::string(side) + "]", "e_sv[" + std::string(side) + "]",
                              d::kEndFields);
    restore += d::copy_fields("g[" + std::string(side) + "]", "g_sv[" + std::string(side) + "]",
                              d::kGhostFields);
  }
  for (unsigned i = 0; i < bounds.in_flight; ++i) {
    const std::string n = std::to_string(i);
    save += d::copy_fields("net_sv[" + n + "]", "net[" + n + "]", d::kSegFields);
    restore += d::copy_fields("net[" + n + "]", "net_sv[" + n + "]", d::kSegFields);
  }
  for (std::size_t i = 0; i < sc.size(); ++i) {
    save += "sc_sv[" + std::to_string(i) + "] = " + sc[i] + "; ";
    restore += sc[i] + " = sc_sv[" + std::to_string(i) + "]; ";
  }
  save += "skip;";
  restore += "skip";

  std::string asserts;
  for (Invariant i : kAllInvariants) {
    if ((checked >> static_cast<unsigned>(i) & 1U) == 0) continue;
    asserts += "            assert(viol != " + std::to_string(static_cast<unsigned>(i) + 1) +
               ");  /* " + std::string(name(i)) + " */\n";
  }
  asserts += "            skip";

  std::string copy_seg = d::copy_fields("D", "S", d::kSegFields);
  copy_seg.resize(copy_seg.size() - 2);  // the last "; "
  std::string clear_seg;
  for (auto f : d::kSegFields) {
    clear_seg += std::string(clear_seg.empty() ? "" : "; ") + "D." + std::string(f) + " = 0";
  }

  std::string body(d::kBody);
  const auto put = [&](std::string_view key, const std::string& value) {
    const std::string k = "@" + std::string(key) + "@";
    for (std::size_t at = body.find(k); at != std::string::npos; at = body.find(k, at)) {
      body.replace(at, k.size(), value);
      at += value.size();
    }
  };
  const d::LivenessText live =
      d::liveness_text(options.liveness, moves_enabled, mv, restore, asserts);
  put("SAVE_DECLS", decls + live.decls);
  put("LIVENESS_INLINES", live.inlines);
  put("CHOOSE", live.choose);
  put("MOVE_CLASS", live.move_class);
  put("END_OF_MOVE", live.end_of_move);
  put("CALLS_DONE", live.calls_done);
  put("PROBE_CLOSE", live.probe_close);
  put("SEG_LESS", d::seg_less());
  put("SEG_EQUAL", d::seg_equal());
  put("COPY_SEG", copy_seg);
  put("CLEAR_SEG", clear_seg);
  put("FIND_ROW", find_row);
  put("SAVE", save);
  o << body << live.ltl;
  return o.str();
}

}  // namespace tcpmc::verify::table
