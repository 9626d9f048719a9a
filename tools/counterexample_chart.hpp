// A counterexample of the explorer as a message sequence chart. The moves
// are replayed (verify/explore/replay.hpp) and each state compared with the
// one before: what left the network, what entered it, which side changed
// state, what its user did or was told. Reading the states rather than the
// narration keeps the chart independent of how the narration is worded.
#pragma once

#include <string>
#include <tcpmc/graphs/sequence_chart.hpp>
#include <tcpmc/verify/explore/replay.hpp>

namespace tcpmc::tools {

// "SYN,ACK seq=3 ack=1 data=4": a segment as its arrow is labelled.
std::string segment_label(const verify::explore::Packet& p);

graphs::SequenceChart counterexample_chart(const verify::explore::Replay& replay);

}  // namespace tcpmc::tools
