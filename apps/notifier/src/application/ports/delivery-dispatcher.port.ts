/** What dispatches due deliveries; told when one just became due, so it need not wait for its next look. */
export interface DeliveryDispatcher {
  wake(): void;
}

export const DELIVERY_DISPATCHER = Symbol('DELIVERY_DISPATCHER');
