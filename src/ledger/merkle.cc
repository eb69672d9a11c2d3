#include "ledger/merkle.h"

#include <algorithm>
#include <bit>

#include "core/base64.h"
#include "ledger/digest.h"
#include "trust/encoding.h"

namespace liaison::ledger {

namespace {

std::string_view view(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

int bit_length(std::uint64_t x) { return 64 - std::countl_zero(x); }

// The RFC's k: the largest power of two smaller than n (n > 1).
std::uint64_t split(std::uint64_t n) { return std::bit_floor(n - 1); }

std::string num(std::uint64_t n) { return std::to_string(n); }

// The hash of leaves [lo, hi). The width splits into one perfect subtree per
// set bit, largest on the left; each is a stored node. Their fold from the
// right is exactly the recursive MTH, because the RFC splits every range at
// its largest power of two. Callers pass only ranges that arise in that
// recursion, whose start is aligned to every part, so every part is a node.
Result<Hash> subtree_hash(NodeReader& nodes, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t width = hi - lo;
  std::uint64_t pos = hi;
  Hash acc{};
  bool first = true;
  while (width != 0) {
    int level = std::countr_zero(width);
    std::uint64_t part = std::uint64_t{1} << level;
    pos -= part;
    LIAISON_ASSIGN_OR_RETURN(Hash h, nodes.node(level, pos >> level));
    acc = first ? h : node_hash(h, acc);
    first = false;
    width -= part;
  }
  return acc;
}

// How many hashes the audit path of leaf `index` has in a tree of `size`:
// one per level below the point where the paths to `index` and to the last
// leaf part, plus one per left sibling above it.
std::size_t inclusion_length(std::uint64_t index, std::uint64_t size) {
  int inner = bit_length(index ^ (size - 1));
  return static_cast<std::size_t>(inner) + static_cast<std::size_t>(std::popcount(index >> inner));
}

// The same for a consistency proof (first < second): the inclusion path of the
// largest node the two trees share, plus that node unless it is the left edge.
std::size_t consistency_length(std::uint64_t first, std::uint64_t second) {
  int level = std::countr_zero(first);
  std::uint64_t index = (first - 1) >> level;
  std::uint64_t last = (second - 1) >> level;
  return inclusion_length(index, last + 1) + (index != 0 ? 1 : 0);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Hash leaf_hash(std::string_view entry) {
  static constexpr char kLeaf = 0x00;
  return internal::sha256_of({std::string_view(&kLeaf, 1), entry});
}

Hash node_hash(const Hash& left, const Hash& right) {
  static constexpr char kNode = 0x01;
  return internal::sha256_of({std::string_view(&kNode, 1), view(left), view(right)});
}

Hash empty_root() { return internal::sha256_of({}); }

std::string to_hex(const Hash& h) { return trust::hex_encode(view(h)); }

std::string to_base64(const Hash& h) { return liaison::base64_encode(view(h)); }

Result<Hash> hash_from_hex(std::string_view hex, const std::string& field) {
  Hash h{};
  if (hex.size() != 2 * h.size()) {
    return Error::invalid(
        field, field + " must be 64 lower-case hex digits, not " + num(hex.size()) + " characters");
  }
  for (std::size_t i = 0; i < h.size(); ++i) {
    int hi = hex_digit(hex[2 * i]);
    int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Error::invalid(field, field + " must be lower-case hex");
    h[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return h;
}

Result<Hash> hash_from_base64(std::string_view b64, const std::string& field) {
  LIAISON_ASSIGN_OR_RETURN(std::string raw, liaison::base64_decode(b64, field));
  Hash h{};
  if (raw.size() != h.size()) {
    return Error::invalid(field, field + " must decode to 32 bytes, not " + num(raw.size()));
  }
  std::copy(raw.begin(), raw.end(), h.begin());
  return h;
}

Result<Hash> root_at(NodeReader& nodes, std::uint64_t size) {
  if (size == 0) return empty_root();
  return subtree_hash(nodes, 0, size);
}

Result<std::vector<Hash>> inclusion_proof(NodeReader& nodes, std::uint64_t index,
                                          std::uint64_t size) {
  if (index >= size) {
    return Error::invalid("leaf_index",
                          "leaf " + num(index) + " is not in a tree of " + num(size) + " leaves");
  }
  // Walks down from the root; the siblings come out top first and the RFC
  // lists them leaf first. Only the first right sibling can be a partial
  // subtree: below it every range lies inside a perfect one.
  std::vector<Hash> path;
  path.reserve(inclusion_length(index, size));
  std::uint64_t lo = 0;
  std::uint64_t n = size;
  std::uint64_t m = index;
  while (n > 1) {
    std::uint64_t k = split(n);
    if (m < k) {
      LIAISON_ASSIGN_OR_RETURN(Hash right, subtree_hash(nodes, lo + k, lo + n));
      path.push_back(right);
      n = k;
    } else {
      LIAISON_ASSIGN_OR_RETURN(Hash left, subtree_hash(nodes, lo, lo + k));
      path.push_back(left);
      lo += k;
      m -= k;
      n -= k;
    }
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Result<std::vector<Hash>> consistency_proof(NodeReader& nodes, std::uint64_t first,
                                            std::uint64_t second) {
  if (first == 0) {
    return Error::invalid("first", "a consistency proof starts from a tree of at least one leaf");
  }
  if (first > second) {
    return Error::invalid("first", "the first tree (" + num(first) +
                                       " leaves) is larger than the second (" + num(second) + ")");
  }
  std::vector<Hash> proof;
  if (first == second) return proof;
  proof.reserve(consistency_length(first, second));
  // SUBPROOF(m, D[lo:lo+n], whole) of §2.1.4.1, unrolled; collected top first.
  std::uint64_t lo = 0;
  std::uint64_t n = second;
  std::uint64_t m = first;
  bool whole = true;
  while (m != n) {
    std::uint64_t k = split(n);
    if (m <= k) {
      LIAISON_ASSIGN_OR_RETURN(Hash right, subtree_hash(nodes, lo + k, lo + n));
      proof.push_back(right);
      n = k;
    } else {
      LIAISON_ASSIGN_OR_RETURN(Hash left, subtree_hash(nodes, lo, lo + k));
      proof.push_back(left);
      lo += k;
      m -= k;
      n -= k;
      whole = false;
    }
  }
  // The first tree's last subtree, unless it is the whole first tree, whose
  // root the verifier already has.
  if (!whole) {
    LIAISON_ASSIGN_OR_RETURN(Hash shared, subtree_hash(nodes, lo, lo + n));
    proof.push_back(shared);
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                        const std::vector<Hash>& path, const Hash& root) {
  if (index >= size) {
    return Error::invalid("leaf_index", "leaf index " + num(index) + " is outside a tree of " +
                                            num(size) + " leaves");
  }
  std::size_t want = inclusion_length(index, size);
  if (path.size() != want) {
    return Error::invalid("path", "the inclusion path has " + num(path.size()) + " hashes; leaf " +
                                      num(index) + " of a tree of " + num(size) + " leaves needs " +
                                      num(want));
  }
  // §2.1.3.2, step by step. Its own length checks (sn reaching 0 early or
  // late) cannot fire after the one above; they stay so the loop reads as the
  // RFC does.
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : path) {
    if (sn == 0) return Error::invalid("path", "the inclusion path is too long");
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Error::invalid("path", "the inclusion path is too short");
  if (r != root) {
    return Error::invalid("root", "leaf " + num(index) + " with its path gives root " + to_hex(r) +
                                      " for size " + num(size) + ", not the expected " +
                                      to_hex(root));
  }
  return Ok{};
}

Status verify_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                          const Hash& second_root, const std::vector<Hash>& proof) {
  if (first == 0) {
    return Error::invalid("first", "a consistency proof starts from a tree of at least one leaf");
  }
  if (first > second) {
    return Error::invalid("first", "the first tree (" + num(first) +
                                       " leaves) is larger than the second (" + num(second) + ")");
  }
  if (first == second) {
    if (!proof.empty()) {
      return Error::invalid("proof", "a consistency proof between trees of one size (" +
                                         num(first) + ") must be empty, not " + num(proof.size()) +
                                         " hashes");
    }
    if (first_root != second_root) {
      return Error::invalid("second_root", "two trees of size " + num(first) +
                                               " have different roots " + to_hex(first_root) +
                                               " and " + to_hex(second_root));
    }
    return Ok{};
  }
  std::size_t want = consistency_length(first, second);
  if (proof.size() != want) {
    return Error::invalid("proof", "the consistency proof has " + num(proof.size()) +
                                       " hashes; from size " + num(first) + " to " + num(second) +
                                       " it needs " + num(want));
  }
  // §2.1.4.2, step by step; `at(0)` is first_root when step 2 prepends it.
  // As above, its length checks are the RFC's, already settled by ours.
  bool prepend = std::has_single_bit(first);
  auto at = [&](std::size_t i) -> const Hash& {
    if (prepend) return i == 0 ? first_root : proof[i - 1];
    return proof[i];
  };
  std::size_t count = proof.size() + (prepend ? 1 : 0);
  std::uint64_t fn = first - 1;
  std::uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = at(0);
  Hash sr = at(0);
  for (std::size_t i = 1; i < count; ++i) {
    const Hash& c = at(i);
    if (sn == 0) return Error::invalid("proof", "the consistency proof is too long");
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Error::invalid("proof", "the consistency proof is too short");
  if (fr != first_root) {
    return Error::invalid("first_root", "the consistency proof gives root " + to_hex(fr) +
                                            " for size " + num(first) + ", not the expected " +
                                            to_hex(first_root));
  }
  if (sr != second_root) {
    return Error::invalid("second_root", "the consistency proof gives root " + to_hex(sr) +
                                             " for size " + num(second) + ", not the expected " +
                                             to_hex(second_root));
  }
  return Ok{};
}

}  // namespace liaison::ledger
