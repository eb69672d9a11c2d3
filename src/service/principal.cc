#include "service/principal.h"

namespace liaison {

Principal Principal::local_operator() {
  Principal p;
  p.user.id = "local-operator";
  p.user.name = "local operator";
  p.user.hub_admin = true;
  p.local_operator_session = true;
  return p;
}

}  // namespace liaison
