// Shared helpers of the adapters (see backends.h); each part's adapter is in its own
// backend_<part>.cc.
#include "pipeline/backends.h"

#include <nlohmann/json.hpp>

namespace tollgate::backends {

std::string OrderLineToJson(const OrderLine& l) {
  nlohmann::ordered_json j;
  j["order_id"] = l.order_id;
  j["line"] = l.line;
  j["date"] = l.date.ToString();
  j["exporter"] = l.exporter;
  j["item"] = l.item;
  j["quantity"] = l.quantity;
  j["unit_price"] = l.unit_price.ToString();
  j["currency"] = l.currency.code();
  j["ship_from"] = l.ship_from.code();
  j["destination"] = l.destination.code();
  j["consignee"] = l.consignee;
  j["consignee_country"] = l.consignee_country.code();
  j["end_user"] = l.end_user;
  j["end_user_country"] = l.end_user_country.code();
  j["end_user_hq"] = l.end_user_hq.code();
  j["end_use"] = std::string(EndUseName(l.end_use));
  j["licence"] = l.licence.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(l.licence);
  j["customs_value"] = l.customs_value ? nlohmann::ordered_json(l.customs_value->ToString())
                                       : nlohmann::ordered_json();
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tollgate::backends
