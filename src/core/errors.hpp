#pragma once
// The two error families of SpikeWeave.
// - UserError: the user can fix it (bad configuration, bad or unwritable file). It names the
//   key path or the file and what was expected. `main` prints it once and exits non-zero.
// - InternalError: a bug in SpikeWeave (a broken invariant). Derives from std::logic_error.
#include <stdexcept>
#include <string>

namespace spikeweave {

class UserError : public std::runtime_error {
 public:
  // `where` is a key path (`projection[2].delay_ms`) or a file path; `what` says what was expected.
  UserError(const std::string& where, const std::string& what)
      : std::runtime_error(where.empty() ? what : where + ": " + what), where_(where) {}
  const std::string& where() const noexcept { return where_; }

 private:
  std::string where_;
};

// A configuration value is missing, of the wrong type, or out of range.
class ConfigError : public UserError {
 public:
  using UserError::UserError;
};

// A file cannot be read, written or understood.
class FileError : public UserError {
 public:
  using UserError::UserError;
};

class InternalError : public std::logic_error {
 public:
  explicit InternalError(const std::string& what) : std::logic_error("internal error: " + what) {}
};

// Checks an internal invariant; throws InternalError with the message when it does not hold.
inline void require_invariant(bool holds, const char* what) {
  if (!holds) throw InternalError(what);
}

}  // namespace spikeweave
