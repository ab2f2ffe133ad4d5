#pragma once
// An immutable value of any type, shared by copies: how the network spec holds the parameters of
// a neuron model or plasticity rule that only the model's or rule's own files know the type of.
// Reading it as the wrong type is a bug (InternalError), never undefined behaviour.
#include <memory>
#include <typeinfo>
#include <utility>

#include "core/errors.hpp"

namespace spikeweave {

class AnyValue {
 public:
  AnyValue() = default;
  template <class T>
  static AnyValue of(T value) {
    AnyValue any;
    any.value_ = std::make_shared<const T>(std::move(value));
    any.type_ = &typeid(T);
    return any;
  }
  template <class T>
  bool holds() const {
    return type_ != nullptr && *type_ == typeid(T);
  }
  template <class T>
  const T& as() const {
    if (!holds<T>()) throw InternalError(std::string("AnyValue read as ") + typeid(T).name());
    return *static_cast<const T*>(value_.get());
  }

 private:
  std::shared_ptr<const void> value_;
  const std::type_info* type_ = nullptr;
};

}  // namespace spikeweave
